// The request body limits of http/server.h, applied before any handler sees the body:
// only identity or chunked bodies within `max_body_bytes`, and no body where the method
// takes none; and the request id and error answer of a request refused before routing.
//
// Internal to src/http. Thread-safe (each call touches only its own request and the
// calling thread's CurrentStream).
#pragma once

#include <httplib.h>

#include <cstddef>
#include <string>

#include "core/error.h"

namespace stream::http {

// Whether the request announces a body (Transfer-Encoding, or a Content-Length other
// than 0).
bool HasBodyHeaders(const httplib::Request& req);

// A fresh request id: 16 hex digits.
std::string NewRequestId();

// Refuses the request before any handler runs, in the API's one error shape
// {"error": {"code", "message", "where", "request_id"}} with the catalogue's status for
// `code`, the request id of the X-Request-Id header (one is made when the request has
// none yet), and the connection closed after the answer.
void Refuse(httplib::Response& res, ErrorCode code, const std::string& message,
            const std::string& where);

// Reads the request body within `max_bytes` (sized or chunked alike) into `body`; on
// failure sets the response (413 too large, 415 compressed, 400 other coding, unreadable
// or too slow), marks it the connection's last and returns false.
bool ReadBody(const httplib::Request& req, httplib::Response& res,
              const httplib::ContentReader& reader, size_t max_bytes, std::string& body);

}  // namespace stream::http
