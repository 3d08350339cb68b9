#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "rules/criteria.h"
#include "rules/criteria_test_util.h"

namespace stream::rules {
namespace {

using testing::CompileError;
using ::testing::HasSubstr;
using ::testing::StartsWith;

TEST(CriteriaParserTest, AcceptsTheLanguage) {
  for (const char* ok : {
           "true",
           "not false",
           "age >= 18 and age <= 70",
           "age between 18 and 70",
           "18 <= age",
           "(disease == \"aml\" or disease == \"mpal\") and not in_cr",
           "disease in [\"aml\", \"mpal\"]",
           "ecog in [0, 1, 2]",
           "ecog not in [3, 4]",
           "evaluation_date - diagnosis_date >= 18 months",
           "diagnosis_date + 2 years > 2024-01-31",
           "first_relapse.date - diagnosis_date between 18 months and 30 months",
           "has_variant(\"FLT3\", type: \"itd\", min_vaf: 5)",
           "has_variant(\"IDH1\")",
           "has_variant_in([\"NRAS\", \"KRAS\", \"PTPN11\"])",
           "has_fusion(\"KMT2A::*\") or has_fusion(\"*::ABL1\")",
           "karyotype_has(\"minus_7\")",
           "not exposed_to(\"venetoclax\", within: 3 months)",
           "days_since_agent(\"venetoclax\") > 90",
           "\"cyclosporin_a\" in last_transplant.gvhd_prophylaxis",
           "attested(\"not_pregnant\")",
           "# a comment\nage >= 18  # trailing comment\n and consented(\"trial\")",
           "had_adverse_event(min_grade: 3, within: 30 days) == false",
           "age > -1",
           "prior_lines + 1 <= 3",
           "latest_response in [\"cr\", \"crh\", \"cri\"]",
           "eln2022_risk == \"adverse\"",
       }) {
    EXPECT_EQ(CompileError(ok), "") << ok;
  }
}

TEST(CriteriaParserTest, SyntaxErrorsHaveLineAndColumn) {
  EXPECT_EQ(CompileError("age >="), "1:7: the criterion ends where a value was expected");
  EXPECT_EQ(CompileError("age >= 18 and\n  (ecog <= 2"),
            "2:13: expected ')' to close the '(' at 2:3, found end of the criterion");
  EXPECT_EQ(CompileError("age = 18"), "1:5: '=' alone is not an operator; write == to compare");
  EXPECT_EQ(CompileError("disease == \"aml"), "1:12: string is not closed with \"");
  EXPECT_EQ(CompileError("age >= 18 70"), "1:11: unexpected '70' after the end of the expression");
  EXPECT_THAT(CompileError("age >= 18 $"), StartsWith("1:11: unexpected character '$'"));
  EXPECT_THAT(CompileError("2024-02-30 < evaluation_date"),
              StartsWith("1:1: '2024-02-30' is not a valid date"));
  EXPECT_THAT(CompileError("has_variant(FLT3)"), StartsWith("1:13: names are lower case"));
  EXPECT_THAT(CompileError("ecog in [0, \"1\"]"), HasSubstr("only strings or only numbers"));
  EXPECT_THAT(CompileError("ecog in []"), HasSubstr("at least one item"));
  EXPECT_THAT(CompileError("18 <= age <= 70"), StartsWith("1:11: comparisons do not chain"));
  EXPECT_THAT(CompileError("age between 18 or 70"), StartsWith("1:16: expected `and` in `between"));
  EXPECT_THAT(CompileError("3months > 2 days"), HasSubstr("space between a number and its unit"));
  EXPECT_THAT(CompileError(""), HasSubstr("ends where a value was expected"));
}

TEST(CriteriaParserTest, TypeErrorsHavePositions) {
  EXPECT_EQ(CompileError("agee >= 18"),
            "1:1: unknown fact or function 'agee'; did you mean 'age'?");
  EXPECT_EQ(CompileError("age >= \"18\""), "1:5: cannot compare a number with a string using >=");
  EXPECT_EQ(CompileError("age"),
            "1:1: a criterion must be a condition (true/false), but this is a number");
  EXPECT_EQ(CompileError("disease >= \"aml\""),
            "1:9: >= needs numbers, dates or durations, not a string");
  EXPECT_EQ(CompileError("age and true"),
            "1:1: `and` needs conditions on both sides, but this is a number");
  EXPECT_EQ(CompileError("not age"), "1:5: `not` needs a condition, but this is a number");
  EXPECT_THAT(CompileError("disease == \"amll\""),
              StartsWith("1:12: \"amll\" is not a code of disease; expected one of: aml, all"));
  EXPECT_THAT(CompileError("\"tacrolimus\" in last_transplant.gvhd_prophylaxis and\n"
                           "  last_transplant.donor_type not in [\"cord\"]"),
              StartsWith("2:37: \"cord\" is not a code of last_transplant.donor_type"));
  EXPECT_THAT(CompileError("age in [\"a\"]"), StartsWith("1:5: `in` needs a string and a list"));
  EXPECT_THAT(CompileError("age between 2020-01-01 and 70"), StartsWith("1:5: `between` needs"));
  EXPECT_THAT(CompileError("diagnosis_date + 3 > evaluation_date"),
              StartsWith("1:16: cannot add a number to a date"));
}

TEST(CriteriaParserTest, CallErrorsHavePositions) {
  EXPECT_EQ(CompileError("has_variant()"),
            "1:1: has_variant needs its 'gene' argument: has_variant(gene, type:, min_vaf:, "
            "hgvs:) -> bool");
  EXPECT_THAT(CompileError("has_variant(\"FLT3\", kind: \"itd\")"),
              StartsWith("1:21: has_variant has no argument 'kind'"));
  EXPECT_THAT(
      CompileError("has_variant(\"FLT3\", type: \"ITD\")"),
      StartsWith(
          "1:27: \"ITD\" is not a valid argument 'type' of has_variant; expected one of: itd"));
  EXPECT_THAT(CompileError("has_variant(\"flt3\")"),
              StartsWith("1:13: \"flt3\" is not an HGNC gene symbol"));
  EXPECT_THAT(CompileError("has_variant(\"FLT3\", min_vaf: \"5\")"),
              StartsWith("1:30: argument 'min_vaf' of has_variant must be a number, not a string"));
  EXPECT_THAT(CompileError("has_variant(\"FLT3\", min_vaf: age)"),
              StartsWith("1:30: argument 'min_vaf' of has_variant must be a literal value"));
  EXPECT_THAT(CompileError("gene_tested(\"IDH1\", \"IDH2\")"),
              StartsWith("1:21: gene_tested takes at most 1 argument(s)"));
  EXPECT_THAT(CompileError("has_variant(type: \"itd\", \"FLT3\")"),
              StartsWith("1:26: positional arguments must come before named ones"));
  EXPECT_THAT(CompileError("has_variant(\"FLT3\", gene: \"NPM1\")"),
              StartsWith("1:21: argument 'gene' given twice"));
  EXPECT_THAT(CompileError("exposed_to(\"Venetoclax\")"), HasSubstr("lower-case INN"));
  EXPECT_THAT(CompileError("exposed_to(\"venetoclax\", within: 3)"),
              HasSubstr("must be a duration, not a number"));
  EXPECT_THAT(CompileError("has_fusion(\"KMT2A\")"), HasSubstr("GENE1::GENE2"));
  EXPECT_THAT(CompileError("has_fusion(\"*::*\")"), HasSubstr("GENE1::GENE2"));
  EXPECT_THAT(CompileError("karyotype_has(\"monosomy_7\")"),
              HasSubstr("expected one of: normal, t_8_21"));
  EXPECT_THAT(CompileError("consented(\"everything\")"), HasSubstr("registry, trial"));
  EXPECT_THAT(CompileError("age(1) > 3"),
              StartsWith("1:4: 'age' is a fact; it takes no arguments"));
  EXPECT_THAT(CompileError("has_variant > 3"), StartsWith("1:13: 'has_variant' is a function"));
  EXPECT_THAT(CompileError("has_variant(\"FLT3\" \"NPM1\")"),
              StartsWith("1:20: expected ',' or ')'"));
}

TEST(CriteriaParserTest, LimitsAreErrorsNotCrashes) {
  std::string deep(200, '(');
  deep += "true";
  deep += std::string(200, ')');
  EXPECT_THAT(CompileError(deep), HasSubstr("nested deeper than 64 levels"));
  std::string nots;
  for (int i = 0; i < 100; ++i) nots += "not ";
  EXPECT_THAT(CompileError(nots + "true"), HasSubstr("nested deeper"));
  std::string sum = "age";
  for (int i = 0; i < 100; ++i) sum += " + 1";
  EXPECT_THAT(CompileError(sum + " > 3"), HasSubstr("nested deeper"));
  // Long flat chains are fine: and/or are n-ary.
  std::string chain = "true";
  for (int i = 0; i < 500; ++i) chain += " and true";
  EXPECT_EQ(CompileError(chain), "");
  CompileLimits small;
  small.max_nodes = 10;
  EXPECT_THAT(Compile(chain, small).error().message, HasSubstr("more than 10 parts"));
  small = {};
  small.max_source_bytes = 8;
  EXPECT_THAT(Compile("age >= 18 and ecog <= 2", small).error().message,
              HasSubstr("the limit is 8"));
}

TEST(CriteriaParserTest, ReportsFactsUsedAndKeepsSource) {
  auto c = testing::MustCompile("age >= 18 and has_variant(\"FLT3\") and age <= 70");
  EXPECT_EQ(c.FactsUsed(), (std::vector<std::string>{"age", "has_variant"}));
  EXPECT_EQ(c.source(), "age >= 18 and has_variant(\"FLT3\") and age <= 70");
}

TEST(CriteriaParserTest, EveryBuiltinIsDocumented) {
  auto builtins = Builtins();
  EXPECT_GE(builtins.size(), 40u);
  for (const auto& b : builtins) {
    EXPECT_FALSE(b.meaning.empty()) << b.name;
    EXPECT_FALSE(b.unknown_when.empty()) << b.name;
  }
}

TEST(CriteriaParserTest, TheLanguagePageDocumentsEveryBuiltin) {
  std::ifstream in(std::string(STREAM_SOURCE_DIR) + "/docs/criteria-language.md");
  ASSERT_TRUE(in) << "docs/criteria-language.md is missing";
  std::stringstream text;
  text << in.rdbuf();
  for (const auto& b : Builtins()) {
    EXPECT_THAT(text.str(), HasSubstr("`" + std::string(b.name))) << b.name;
  }
}

}  // namespace
}  // namespace stream::rules
