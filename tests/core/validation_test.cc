#include "core/validation.h"

#include <gtest/gtest.h>

#include <map>

#include "core/schema.h"

namespace stream {
namespace {

std::vector<Value> Parse(const KindSpec& kind, const std::vector<std::string>& texts) {
  std::vector<Value> values;
  for (size_t i = 0; i < kind.fields.size(); ++i) {
    auto v = ParseValue(kind.fields[i], i < texts.size() ? texts[i] : "");
    EXPECT_TRUE(v.ok()) << v.error().ToString();
    values.push_back(v.ok() ? *v : Value{});
  }
  return values;
}

TEST(ValidationTest, AcceptsAValidVariant) {
  const KindSpec& kind = *FindKind("variant");
  auto errors = ValidateRecord(kind, Parse(kind, {"FLT3", "", "itd", "35.5", "pcr", "2024-01-10"}));
  EXPECT_TRUE(errors.empty()) << errors.front().ToString();
}

TEST(ValidationTest, NamesTheFieldOfAVafAbove100) {
  const KindSpec& kind = *FindKind("variant");
  auto errors = ValidateRecord(
      kind, Parse(kind, {"IDH1", "p.Arg132His", "missense", "120", "ngs", "2024-01-10"}));
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].where, "vaf");
  EXPECT_NE(errors[0].message.find("out of range"), std::string::npos);
}

TEST(ValidationTest, RejectsNegativeBlastsAndUnknownCodes) {
  const KindSpec& kind = *FindKind("response");
  auto values = Parse(kind, {"2024-02-01", "-3"});
  values[kind.IndexOf("eln2022_category")] = std::string("complete");
  auto errors = ValidateRecord(kind, values);
  ASSERT_EQ(errors.size(), 2u);
  EXPECT_EQ(errors[0].where, "marrow_blasts");
  EXPECT_EQ(errors[1].where, "eln2022_category");
  EXPECT_NE(errors[1].message.find("unknown code 'complete'"), std::string::npos);
}

TEST(ValidationTest, RequiresRequiredFields) {
  const KindSpec& kind = *FindKind("death");
  auto errors = ValidateRecord(kind, Parse(kind, {"", "infection"}));
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].where, "death_date");
}

TEST(ValidationTest, ReportsParseErrorsWithTheFieldName) {
  const KindSpec& kind = *FindKind("diagnosis");
  auto v = ParseValue(*kind.FindField("diagnosis_date"), "2024-02-30");
  ASSERT_FALSE(v.ok());
  EXPECT_EQ(v.error().where, "diagnosis_date");
}

TEST(ValidationTest, RejectsAnEndBeforeTheStart) {
  const KindSpec& kind = *FindKind("treatment_line");
  auto errors = ValidateRecord(kind, Parse(kind, {"1", "7+3", "daunorubicin;cytarabine",
                                                  "intensive", "2024-03-01", "2024-02-01"}));
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].where, "end_date");
}

TEST(ValidationTest, ChecksGeneSymbolsFusionsAndHgvs) {
  const KindSpec& kind = *FindKind("fusion");
  EXPECT_TRUE(CheckValue(*kind.FindField("fusion"), std::string("RUNX1::RUNX1T1")).ok());
  EXPECT_FALSE(CheckValue(*kind.FindField("fusion"), std::string("RUNX1-RUNX1T1")).ok());
  const KindSpec& variant = *FindKind("variant");
  EXPECT_FALSE(CheckValue(*variant.FindField("gene"), std::string("flt3")).ok());
  EXPECT_TRUE(CheckValue(*variant.FindField("gene"), std::string("C10orf54")).ok());
  EXPECT_FALSE(CheckValue(*variant.FindField("hgvs"), std::string("R132H")).ok());
}

TEST(SchemaTest, EveryCodedFieldNamesItsCodeSystem) {
  for (const auto& kind : RecordKinds()) {
    for (const auto& field : kind.fields) {
      if (field.type == FieldType::kCode || field.type == FieldType::kCodeSet) {
        EXPECT_FALSE(field.code_system.empty()) << kind.name << "." << field.name;
      }
      EXPECT_FALSE(field.description.empty()) << kind.name << "." << field.name;
    }
    if (!kind.dates.date_field.empty()) {
      const FieldSpec* date = kind.FindField(kind.dates.date_field);
      ASSERT_NE(date, nullptr) << kind.name;
      EXPECT_EQ(date->type, FieldType::kDate);
      EXPECT_TRUE(date->required) << kind.name;
    }
  }
}

TEST(SchemaTest, DateOrdersNameADateOfTheSameRecordAndFormatsAreOnText) {
  int orders = 0;
  for (const auto& kind : RecordKinds()) {
    for (const auto& field : kind.fields) {
      if (field.format != TextFormat::kFree) {
        EXPECT_EQ(field.type, FieldType::kText) << kind.name << "." << field.name;
        EXPECT_NE(Describe(field.format), "text");
        EXPECT_NE(ToString(field.format), "free");
      }
      if (field.not_before.empty()) continue;
      ++orders;
      EXPECT_EQ(field.type, FieldType::kDate) << kind.name << "." << field.name;
      const FieldSpec* earlier = kind.FindField(field.not_before);
      ASSERT_NE(earlier, nullptr) << kind.name << "." << field.name;
      EXPECT_EQ(earlier->type, FieldType::kDate);
    }
  }
  EXPECT_EQ(orders, 3);
}

TEST(ValidationTest, FieldErrorsChecksEachFieldOnItsOwn) {
  const KindSpec& kind = *FindKind("treatment_line");
  std::vector<Result<Value>> fields(kind.fields.size(), Result<Value>(Value{}));
  // An unreadable required field is reported as read, not also as missing.
  fields[kind.IndexOf("line_number")] =
      Fail(ErrorCode::kInvalidArgument, "expected a whole number", "/line_number");
  fields[kind.IndexOf("regimen")] = Value{std::string("7+3")};
  fields[kind.IndexOf("agents")] = Value{CodeSet{"cytarabine"}};
  fields[kind.IndexOf("intensity")] = Value{std::string("gentle")};
  fields[kind.IndexOf("start_date")] = Value{*Date::Parse("2024-03-01")};
  fields[kind.IndexOf("end_date")] = Value{*Date::Parse("2024-02-01")};
  const auto errors = FieldErrors(kind, fields);
  ASSERT_EQ(errors.size(), 3u);
  EXPECT_EQ(errors[0].where, "/line_number");
  EXPECT_EQ(errors[0].message, "expected a whole number");
  EXPECT_EQ(errors[1].where, "intensity");
  EXPECT_EQ(errors[2].where, "end_date");
  EXPECT_EQ(errors[2].message, "2024-02-01 is before start_date 2024-03-01");
}

}  // namespace
}  // namespace stream

namespace stream {
namespace {

// Issue #18: questionnaire answers are stored as "item=answer;…" and checked as entered.
TEST(ItemAnswersTest, ReadsTheStoredFormAndRefusesAnythingElse) {
  auto answers = ParseItemAnswers("1=2;2=1;30=6");
  ASSERT_TRUE(answers.has_value());
  EXPECT_EQ(*answers, (std::map<int, int>{{1, 2}, {2, 1}, {30, 6}}));
  EXPECT_TRUE(ParseItemAnswers("")->empty());
  for (const char* bad : {"1=2;", "1=2;1=3", "0=1", "1=-1", "1=", "=2", "1:2", "1=2; 2=1", "a=1",
                          "1=2;;2=1", "1=2x"}) {
    EXPECT_FALSE(ParseItemAnswers(bad).has_value()) << bad;
  }
  const KindSpec& kind = *FindKind("questionnaire");
  const FieldSpec& field = *kind.FindField("answers");
  EXPECT_EQ(field.format, TextFormat::kItemAnswers);
  auto refused = ParseValue(field, "1=2;1=3");
  if (refused.ok()) {
    std::vector<Value> values(kind.fields.size());
    values[kind.IndexOf("answers")] = *refused;
    bool named = false;
    for (const auto& e : ValidateRecord(kind, values)) named |= e.where == "answers";
    EXPECT_TRUE(named) << "an item given twice is refused naming the field";
  } else {
    EXPECT_EQ(refused.error().where, "answers");
  }
}

}  // namespace
}  // namespace stream
