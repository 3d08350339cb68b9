// The closed catalogue of STREAM's error codes and the Error value that carries one.
//
// Every fallible function returns Result<T> or Status (core/result.h) with one of these
// codes. The HTTP layer maps a code to its status; callers may retry retryable codes.
// Domain outcomes ("not eligible", "arm closed") are values, not errors.
#pragma once

#include <string>
#include <string_view>

namespace stream {

enum class ErrorCode {
  kInvalidArgument,       // bad input: a field, a line, a value out of range
  kNotFound,              // no such record, or one the caller may not see
  kAlreadyExists,         // unique value taken (pseudonym, username, site code)
  kConflict,              // the record changed meanwhile, or the state forbids the change
  kReasonRequired,        // a change after first entry without a reason for change
  kUnauthenticated,       // no valid session or token
  kPermissionDenied,      // authenticated, but the role may not do this
  kRateLimited,           // too many attempts (log-in throttling): wait and try again
  kSchemaOutdated,        // the database schema is older than the program: migrate
  kSchemaTooNew,          // the database was written by a newer program
  kSerializationFailure,  // concurrent transactions collided; safe to retry
  kBusy,                  // the database is locked by another writer; safe to retry
  kStorageFull,           // disk full: nothing was written
  kStorageError,          // any other failure of the storage engine
  kIntegrityViolation,    // audit chain or checksum mismatch
  kCryptoError,           // key missing or unreadable, sealed data that does not open
  kInternal,              // a bug: a broken invariant
  // Refusals of the HTTP layer before any handler runs:
  kMalformedRequest,      // 400: an unreadable body, a body where none is allowed
  kMethodNotAllowed,      // 405: the path exists, not with this method
  kPayloadTooLarge,       // 413: a body over the server's limit
  kUnsupportedMediaType,  // 415: a body that is not application/json, or compressed
};

struct ErrorInfo {
  ErrorCode code;
  std::string_view name;  // stable snake_case name used in JSON bodies and logs
  int http_status;
  bool retryable;
};

// The catalogue row of `code`; every code has exactly one row.
const ErrorInfo& Describe(ErrorCode code);

// One error: its code, a message for people, and where the fault is (a field name,
// a JSON pointer or file:line:column) when the input is to blame.
struct Error {
  ErrorCode code = ErrorCode::kInternal;
  std::string message;
  std::string where;

  // "where: message" or just the message.
  std::string ToString() const;
};

}  // namespace stream
