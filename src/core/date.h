// Clinical dates (no time zone) and UTC time stamps with millisecond precision.
//
// Date counts days since 1970-01-01 in the proleptic Gregorian calendar; it is what
// diagnosis, assessment and event dates are. Timestamp counts milliseconds since the
// Unix epoch in UTC; it is what audit rows carry. Both are plain values, thread-safe.
#pragma once

#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace stream {

class Date {
 public:
  constexpr Date() = default;
  static constexpr Date FromDays(int64_t days) { return Date(days); }
  // Precondition: a valid calendar date (see IsValidCivil).
  static Date FromCivil(int year, unsigned month, unsigned day);
  // Parses exactly "YYYY-MM-DD"; nullopt for anything else or an impossible date.
  static std::optional<Date> Parse(std::string_view text);
  static bool IsValidCivil(int year, unsigned month, unsigned day);

  int64_t days() const { return days_; }
  int year() const;
  unsigned month() const;
  unsigned day() const;
  std::string ToString() const;  // "YYYY-MM-DD"

  Date AddDays(int64_t n) const { return Date(days_ + n); }
  friend int64_t DaysBetween(Date from, Date to) { return to.days_ - from.days_; }
  friend constexpr auto operator<=>(Date, Date) = default;

 private:
  constexpr explicit Date(int64_t days) : days_(days) {}
  int64_t days_ = 0;
};

// Completed years of age on `on` for someone born in `birth_year`-`birth_month`, taking
// the birthday as the first of the month when only year and month are known (the
// registry holds no full date of birth).
int AgeInYears(int birth_year, int birth_month, Date on);

class Timestamp {
 public:
  constexpr Timestamp() = default;
  static constexpr Timestamp FromMillis(int64_t ms) { return Timestamp(ms); }
  // Parses "YYYY-MM-DDTHH:MM:SS.mmmZ" (the form ToString writes).
  static std::optional<Timestamp> Parse(std::string_view text);

  int64_t millis() const { return ms_; }
  Date date() const;
  std::string ToString() const;  // ISO 8601 UTC with milliseconds
  friend constexpr auto operator<=>(Timestamp, Timestamp) = default;

 private:
  constexpr explicit Timestamp(int64_t ms) : ms_(ms) {}
  int64_t ms_ = 0;
};

}  // namespace stream
