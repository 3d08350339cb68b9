#include "core/date.h"

#include <charconv>

namespace stream {
namespace {

// Howard Hinnant's days_from_civil / civil_from_days (public-domain algorithms).
constexpr int64_t DaysFromCivil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

struct Civil {
  int64_t year;
  unsigned month;
  unsigned day;
};

constexpr Civil CivilFromDays(int64_t z) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const auto doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t y = static_cast<int64_t>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  return {y + (m <= 2), m, d};
}

bool ParseDigits(std::string_view text, size_t pos, size_t len, int& out) {
  if (pos + len > text.size()) return false;
  for (size_t i = pos; i < pos + len; ++i) {
    if (text[i] < '0' || text[i] > '9') return false;
  }
  std::from_chars(text.data() + pos, text.data() + pos + len, out);
  return true;
}

void AppendPadded(std::string& out, int64_t value, int width) {
  std::string digits = std::to_string(value < 0 ? -value : value);
  if (value < 0) out += '-';
  for (int i = static_cast<int>(digits.size()); i < width; ++i) out += '0';
  out += digits;
}

constexpr int64_t kMillisPerDay = 86'400'000;

}  // namespace

bool Date::IsValidCivil(int year, unsigned month, unsigned day) {
  if (year < 1 || year > 9999 || month < 1 || month > 12 || day < 1) return false;
  static constexpr unsigned kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  const unsigned max_day = month == 2 && leap ? 29 : kDays[month - 1];
  return day <= max_day;
}

Date Date::FromCivil(int year, unsigned month, unsigned day) {
  return Date(DaysFromCivil(year, month, day));
}

std::optional<Date> Date::Parse(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  int y = 0, m = 0, d = 0;
  if (!ParseDigits(text, 0, 4, y) || !ParseDigits(text, 5, 2, m) || !ParseDigits(text, 8, 2, d)) {
    return std::nullopt;
  }
  if (!IsValidCivil(y, static_cast<unsigned>(m), static_cast<unsigned>(d))) return std::nullopt;
  return FromCivil(y, static_cast<unsigned>(m), static_cast<unsigned>(d));
}

int Date::year() const { return static_cast<int>(CivilFromDays(days_).year); }
unsigned Date::month() const { return CivilFromDays(days_).month; }
unsigned Date::day() const { return CivilFromDays(days_).day; }

std::string Date::ToString() const {
  const Civil c = CivilFromDays(days_);
  std::string out;
  out.reserve(10);
  AppendPadded(out, c.year, 4);
  out += '-';
  AppendPadded(out, c.month, 2);
  out += '-';
  AppendPadded(out, c.day, 2);
  return out;
}

int AgeInYears(int birth_year, int birth_month, Date on) {
  int age = on.year() - birth_year;
  if (static_cast<int>(on.month()) < birth_month) --age;
  return age;
}

std::optional<Timestamp> Timestamp::Parse(std::string_view text) {
  if (text.size() != 24 || text[10] != 'T' || text[13] != ':' || text[16] != ':' ||
      text[19] != '.' || text[23] != 'Z') {
    return std::nullopt;
  }
  const auto date = Date::Parse(text.substr(0, 10));
  int hh = 0, mm = 0, ss = 0, ms = 0;
  if (!date || !ParseDigits(text, 11, 2, hh) || !ParseDigits(text, 14, 2, mm) ||
      !ParseDigits(text, 17, 2, ss) || !ParseDigits(text, 20, 3, ms) || hh > 23 || mm > 59 ||
      ss > 59) {
    return std::nullopt;
  }
  return Timestamp(date->days() * kMillisPerDay + ((hh * 60 + mm) * 60 + ss) * 1000LL + ms);
}

Date Timestamp::date() const {
  int64_t days = ms_ / kMillisPerDay;
  if (ms_ % kMillisPerDay < 0) --days;
  return Date::FromDays(days);
}

std::string Timestamp::ToString() const {
  const Date d = date();
  const int64_t in_day = ms_ - d.days() * kMillisPerDay;
  std::string out = d.ToString();
  out += 'T';
  AppendPadded(out, in_day / 3'600'000, 2);
  out += ':';
  AppendPadded(out, in_day / 60'000 % 60, 2);
  out += ':';
  AppendPadded(out, in_day / 1000 % 60, 2);
  out += '.';
  AppendPadded(out, in_day % 1000, 3);
  out += 'Z';
  return out;
}

}  // namespace stream
