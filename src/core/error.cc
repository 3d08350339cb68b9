#include "core/error.h"

#include <array>

namespace stream {
namespace {

constexpr std::array kCatalogue = {
    ErrorInfo{ErrorCode::kInvalidArgument, "invalid_argument", 422, false},
    ErrorInfo{ErrorCode::kNotFound, "not_found", 404, false},
    ErrorInfo{ErrorCode::kAlreadyExists, "already_exists", 409, false},
    ErrorInfo{ErrorCode::kConflict, "conflict", 409, false},
    ErrorInfo{ErrorCode::kReasonRequired, "reason_required", 422, false},
    ErrorInfo{ErrorCode::kUnauthenticated, "unauthenticated", 401, false},
    ErrorInfo{ErrorCode::kPermissionDenied, "permission_denied", 403, false},
    ErrorInfo{ErrorCode::kRateLimited, "rate_limited", 429, false},
    ErrorInfo{ErrorCode::kSchemaOutdated, "schema_outdated", 503, false},
    ErrorInfo{ErrorCode::kSchemaTooNew, "schema_too_new", 503, false},
    ErrorInfo{ErrorCode::kSerializationFailure, "serialization_failure", 503, true},
    ErrorInfo{ErrorCode::kBusy, "busy", 503, true},
    ErrorInfo{ErrorCode::kStorageFull, "storage_full", 507, false},
    ErrorInfo{ErrorCode::kStorageError, "storage_error", 500, false},
    ErrorInfo{ErrorCode::kIntegrityViolation, "integrity_violation", 500, false},
    ErrorInfo{ErrorCode::kCryptoError, "crypto_error", 500, false},
    ErrorInfo{ErrorCode::kMalformedRequest, "malformed_request", 400, false},
    ErrorInfo{ErrorCode::kMethodNotAllowed, "method_not_allowed", 405, false},
    ErrorInfo{ErrorCode::kPayloadTooLarge, "payload_too_large", 413, false},
    ErrorInfo{ErrorCode::kUnsupportedMediaType, "unsupported_media_type", 415, false},
    ErrorInfo{ErrorCode::kInternal, "internal", 500, false},
};

}  // namespace

const ErrorInfo& Describe(ErrorCode code) {
  for (const auto& row : kCatalogue) {
    if (row.code == code) return row;
  }
  return kCatalogue.back();  // kInternal: unreachable, every code has a row
}

std::string Error::ToString() const {
  if (where.empty()) return message;
  return where + ": " + message;
}

}  // namespace stream
