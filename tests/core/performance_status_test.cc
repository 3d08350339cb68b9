// Issue 13, point 7: a performance status score is checked against its scale (ECOG 0-5,
// Karnofsky and Lansky 0-100 in steps of 10), and the error names the score field.
#include <gtest/gtest.h>

#include "core/schema.h"
#include "core/validation.h"

namespace stream {
namespace {

std::vector<Error> Check(const char* scale, int64_t score) {
  const KindSpec& kind = *FindKind("performance_status");
  return ValidateRecord(kind, MakeRecord(kind, {{"assessment_date", *Date::Parse("2024-02-01")},
                                                {"scale", std::string(scale)},
                                                {"score", score}})
                                  .values);
}

TEST(PerformanceStatusTest, AcceptsEveryScoreOfEachScale) {
  for (int64_t s = 0; s <= 5; ++s) EXPECT_TRUE(Check("ecog", s).empty()) << "ecog " << s;
  for (int64_t s = 0; s <= 100; s += 10) {
    EXPECT_TRUE(Check("karnofsky", s).empty()) << "karnofsky " << s;
    EXPECT_TRUE(Check("lansky", s).empty()) << "lansky " << s;
  }
}

TEST(PerformanceStatusTest, RefusesAnEcogAboveFive) {
  for (int64_t s : {6, 10, 70, 100}) {
    auto errors = Check("ecog", s);
    ASSERT_EQ(errors.size(), 1u) << "ecog " << s;
    EXPECT_EQ(errors[0].where, "score");
    EXPECT_EQ(errors[0].code, ErrorCode::kInvalidArgument);
    EXPECT_NE(errors[0].message.find("ECOG"), std::string::npos) << errors[0].message;
    EXPECT_NE(errors[0].message.find("0 to 5"), std::string::npos) << errors[0].message;
  }
}

TEST(PerformanceStatusTest, RefusesKarnofskyAndLanskyScoresOffTheStepsOfTen) {
  for (const char* scale : {"karnofsky", "lansky"}) {
    for (int64_t s : {1, 5, 55, 75, 99}) {
      auto errors = Check(scale, s);
      ASSERT_EQ(errors.size(), 1u) << scale << " " << s;
      EXPECT_EQ(errors[0].where, "score");
      EXPECT_NE(errors[0].message.find("steps of 10"), std::string::npos) << errors[0].message;
    }
  }
}

TEST(PerformanceStatusTest, AScoreOutOfTheFieldRangeIsReportedOnce) {
  auto errors = Check("lansky", 110);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].where, "score");
}

TEST(PerformanceStatusTest, FieldErrorsLeavesTheScoreAloneWhenTheScaleIsUnreadable) {
  const KindSpec& kind = *FindKind("performance_status");
  std::vector<Result<Value>> fields = {Value{*Date::Parse("2024-02-01")},
                                       Fail(ErrorCode::kInvalidArgument, "unreadable", "scale"),
                                       Value{int64_t{75}}};
  auto errors = FieldErrors(kind, fields);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].where, "scale");
}

}  // namespace
}  // namespace stream
