// Reading a request body within the limits, and refusing one that breaks them.
#include "http/request_body.h"

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <cstdlib>
#include <random>
#include <string_view>

#include "http/limited_stream.h"
#include "http/router.h"

namespace stream::http {
namespace {

bool EqualsIgnoringCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

}  // namespace

bool HasBodyHeaders(const httplib::Request& req) {
  return req.has_header("Transfer-Encoding") ||
         (req.has_header("Content-Length") && req.get_header_value("Content-Length") != "0");
}

std::string NewRequestId() {
  static thread_local std::mt19937_64 rng{std::random_device{}()};
  static constexpr char kHex[] = "0123456789abcdef";
  std::string id(16, '0');
  uint64_t x = rng();
  for (auto& c : id) {
    c = kHex[x & 15];
    x >>= 4;
  }
  return id;
}

void Refuse(httplib::Response& res, ErrorCode code, const std::string& message,
            const std::string& where) {
  if (!res.has_header("X-Request-Id")) res.set_header("X-Request-Id", NewRequestId());
  const ApiResponse error =
      ErrorResponse(Fail(code, message, where), res.get_header_value("X-Request-Id"));
  res.status = error.status;
  res.set_header("Cache-Control", "no-store");
  res.set_content(error.body, "application/json");
  CloseAfterResponse(res);
}

bool ReadBody(const httplib::Request& req, httplib::Response& res,
              const httplib::ContentReader& reader, size_t max_bytes, std::string& body) {
  auto refuse = [&](ErrorCode code, const std::string& message, const std::string& where) {
    Refuse(res, code, message, where);
    return false;
  };
  const std::string encoding = req.get_header_value("Content-Encoding");
  if (!encoding.empty() && encoding != "identity") {
    return refuse(ErrorCode::kUnsupportedMediaType, "compressed request bodies are not accepted",
                  "Content-Encoding");
  }
  const std::string transfer = req.get_header_value("Transfer-Encoding");
  const bool chunked = EqualsIgnoringCase(transfer, "chunked");
  if (!transfer.empty() && !chunked) {
    return refuse(ErrorCode::kMalformedRequest, "only chunked transfer coding is accepted",
                  "Transfer-Encoding");
  }
  if (!chunked && !req.has_header("Content-Length")) return true;  // no body (RFC 9112 6.3)
  const std::string length = req.get_header_value("Content-Length");
  if (!chunked && (length.size() > 19 || std::strtoull(length.c_str(), nullptr, 10) > max_bytes)) {
    return refuse(ErrorCode::kPayloadTooLarge, "the request body is too large", "body");
  }
  bool too_large = false;
  const bool read = reader([&](const char* data, size_t n) {
    if (body.size() + n > max_bytes) {
      too_large = true;
      return false;
    }
    body.append(data, n);
    return true;
  });
  if (read) return true;
  const LimitedStream* stream = CurrentStream();
  if (too_large || res.status == 413 || (stream && stream->over_limit())) {
    return refuse(ErrorCode::kPayloadTooLarge, "the request body is too large", "body");
  }
  return refuse(ErrorCode::kMalformedRequest,
                stream && stream->timed_out() ? "the request body came too slowly"
                                              : "the request body could not be read",
                "body");
}

}  // namespace stream::http
