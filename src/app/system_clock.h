// SystemClock: the real UTC time, for production wiring.
#pragma once

#include <chrono>

#include "core/clock.h"

namespace stream::app {

class SystemClock : public Clock {
 public:
  Timestamp Now() const override {
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
        std::chrono::system_clock::now().time_since_epoch());
    return Timestamp::FromMillis(ms.count());
  }
};

}  // namespace stream::app
