// The request body limits of http/server.h, applied before any handler sees the body:
// only identity or chunked bodies within `max_body_bytes`, and no body where the method
// takes none.
//
// Internal to src/http. Thread-safe (each call touches only its own request and the
// calling thread's CurrentStream).
#pragma once

#include <httplib.h>

#include <cstddef>
#include <string>

namespace stream::http {

// Whether the request announces a body (Transfer-Encoding, or a Content-Length other
// than 0).
bool HasBodyHeaders(const httplib::Request& req);

// The API's error document: {"error": {"code", "message", "where"}}.
std::string ErrorBody(const std::string& code, const std::string& message,
                      const std::string& where);

// Reads the request body within `max_bytes` (sized or chunked alike) into `body`; on
// failure sets the response (413 too large, 415 compressed, 400 other coding, unreadable
// or too slow), marks it the connection's last and returns false.
bool ReadBody(const httplib::Request& req, httplib::Response& res,
              const httplib::ContentReader& reader, size_t max_bytes, std::string& body);

}  // namespace stream::http
