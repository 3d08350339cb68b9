// Clock: where the current time comes from. Injected so tests can fix it.
#pragma once

#include "core/date.h"

namespace stream {

class Clock {
 public:
  virtual ~Clock() = default;
  virtual Timestamp Now() const = 0;
  Date Today() const { return Now().date(); }
};

// A clock that says what it is told; for tests.
class FakeClock : public Clock {
 public:
  explicit FakeClock(Timestamp now) : now_(now) {}
  Timestamp Now() const override { return now_; }
  void Set(Timestamp now) { now_ = now; }
  void Advance(int64_t millis) { now_ = Timestamp::FromMillis(now_.millis() + millis); }

 private:
  Timestamp now_;
};

}  // namespace stream
