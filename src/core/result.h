// Result<T>: a value or an Error; Status: success or an Error.
//
// Both are [[nodiscard]]: a caller must look at every outcome. Accessing the value of
// a failed Result (or the error of a successful one) is a bug and aborts.
#pragma once

#include <cstdlib>
#include <utility>
#include <variant>

#include "core/error.h"

namespace stream {

class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(Error error) : error_(std::move(error)), ok_(false) {}  // NOLINT: implicit by design

  bool ok() const { return ok_; }
  explicit operator bool() const { return ok_; }
  const Error& error() const {
    if (ok_) std::abort();
    return error_;
  }

 private:
  Error error_;
  bool ok_ = true;
};

inline Status Ok() { return Status(); }

template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : state_(std::move(value)) {}      // NOLINT: implicit by design
  Result(Error error) : state_(std::move(error)) {}  // NOLINT: implicit by design
  Result(Status status) : state_(status.error()) {}  // NOLINT: only from a failed Status

  bool ok() const { return std::holds_alternative<T>(state_); }
  explicit operator bool() const { return ok(); }

  const T& value() const& { return Checked(); }
  T& value() & { return const_cast<T&>(Checked()); }
  T&& value() && { return std::move(const_cast<T&>(Checked())); }
  const T& operator*() const& { return value(); }
  T& operator*() & { return value(); }
  const T* operator->() const { return &value(); }
  T* operator->() { return &value(); }

  const Error& error() const {
    if (ok()) std::abort();
    return std::get<Error>(state_);
  }
  Status status() const { return ok() ? Status() : Status(error()); }

 private:
  const T& Checked() const {
    if (!ok()) std::abort();
    return std::get<T>(state_);
  }
  std::variant<T, Error> state_;
};

// Builds an Error in one expression: return Fail(ErrorCode::kNotFound, "no patient", "id").
inline Error Fail(ErrorCode code, std::string message, std::string where = {}) {
  return Error{code, std::move(message), std::move(where)};
}

}  // namespace stream

// Returns early from the enclosing function when `expr` (a Status) failed.
#define STREAM_RETURN_IF_ERROR(expr)                         \
  do {                                                       \
    ::stream::Status stream_status_ = (expr);                \
    if (!stream_status_.ok()) return stream_status_.error(); \
  } while (false)

#define STREAM_CONCAT_INNER(a, b) a##b
#define STREAM_CONCAT(a, b) STREAM_CONCAT_INNER(a, b)
// Declares `lhs` from a Result, or returns its error from the enclosing function.
#define STREAM_ASSIGN_OR_RETURN(lhs, expr)                  \
  auto STREAM_CONCAT(stream_result_, __LINE__) = (expr);    \
  if (!STREAM_CONCAT(stream_result_, __LINE__).ok())        \
    return STREAM_CONCAT(stream_result_, __LINE__).error(); \
  lhs = std::move(STREAM_CONCAT(stream_result_, __LINE__)).value()
