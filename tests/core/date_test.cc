#include "core/date.h"

#include <gtest/gtest.h>

namespace stream {
namespace {

TEST(DateTest, ParsesAndFormatsIsoDates) {
  auto d = Date::Parse("2024-02-29");
  ASSERT_TRUE(d.has_value());
  EXPECT_EQ(d->ToString(), "2024-02-29");
  EXPECT_EQ(d->year(), 2024);
  EXPECT_EQ(d->month(), 2u);
  EXPECT_EQ(d->day(), 29u);
  EXPECT_EQ(Date::Parse("1970-01-01")->days(), 0);
}

TEST(DateTest, RejectsImpossibleDates) {
  EXPECT_FALSE(Date::Parse("2023-02-29"));
  EXPECT_FALSE(Date::Parse("2023-13-01"));
  EXPECT_FALSE(Date::Parse("2023-1-01"));
  EXPECT_FALSE(Date::Parse("20230101"));
  EXPECT_FALSE(Date::Parse("2023-04-31"));
}

TEST(DateTest, CountsDaysAcrossYears) {
  EXPECT_EQ(DaysBetween(*Date::Parse("2023-12-31"), *Date::Parse("2024-03-01")), 61);
}

TEST(DateTest, AgeUsesTheFirstOfTheBirthMonth) {
  const Date on = *Date::Parse("2024-06-15");
  EXPECT_EQ(AgeInYears(2006, 6, on), 18);
  EXPECT_EQ(AgeInYears(2006, 7, on), 17);
}

TEST(TimestampTest, RoundTripsMilliseconds) {
  auto t = Timestamp::Parse("2026-11-21T08:15:30.123Z");
  ASSERT_TRUE(t);
  EXPECT_EQ(t->ToString(), "2026-11-21T08:15:30.123Z");
  EXPECT_EQ(t->date().ToString(), "2026-11-21");
  EXPECT_FALSE(Timestamp::Parse("2026-11-21 08:15:30Z"));
}

}  // namespace
}  // namespace stream
