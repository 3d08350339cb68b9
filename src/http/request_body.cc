// Reading a request body within the limits, and refusing one that breaks them.
#include "http/request_body.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <string_view>

#include "http/limited_stream.h"

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

std::string ErrorBody(const std::string& code, const std::string& message,
                      const std::string& where) {
  return nlohmann::json{{"error", {{"code", code}, {"message", message}, {"where", where}}}}.dump();
}

bool ReadBody(const httplib::Request& req, httplib::Response& res,
              const httplib::ContentReader& reader, size_t max_bytes, std::string& body) {
  auto refuse = [&](int status, const std::string& code, const std::string& message,
                    const std::string& where) {
    res.status = status;
    res.set_content(ErrorBody(code, message, where), "application/json");
    CloseAfterResponse(res);
    return false;
  };
  const std::string encoding = req.get_header_value("Content-Encoding");
  if (!encoding.empty() && encoding != "identity") {
    return refuse(415, "invalid_argument", "compressed request bodies are not accepted",
                  "Content-Encoding");
  }
  const std::string transfer = req.get_header_value("Transfer-Encoding");
  const bool chunked = EqualsIgnoringCase(transfer, "chunked");
  if (!transfer.empty() && !chunked) {
    return refuse(400, "invalid_argument", "only chunked transfer coding is accepted",
                  "Transfer-Encoding");
  }
  if (!chunked && !req.has_header("Content-Length")) return true;  // no body (RFC 9112 6.3)
  const std::string length = req.get_header_value("Content-Length");
  if (!chunked && (length.size() > 19 || std::strtoull(length.c_str(), nullptr, 10) > max_bytes)) {
    return refuse(413, "invalid_argument", "the request body is too large", "body");
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
    return refuse(413, "invalid_argument", "the request body is too large", "body");
  }
  return refuse(400, "invalid_argument",
                stream && stream->timed_out() ? "the request body came too slowly"
                                              : "the request body could not be read",
                "body");
}

}  // namespace stream::http
