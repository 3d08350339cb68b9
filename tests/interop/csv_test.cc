// The CSV reader: RFC 4180 quoting, precise positions in errors, and robustness on
// arbitrary bytes (a seeded property test; the libFuzzer target goes further).
#include "interop/csv.h"

#include <gtest/gtest.h>

#include <random>

namespace stream::interop {
namespace {

TEST(CsvTest, ParsesQuotedFieldsWithCommasQuotesAndNewlines) {
  auto rows = ParseCsv("a,b,c\r\n1,\"x, \"\"y\"\"\",\"two\nlines\"\n\n3,,\n");
  ASSERT_TRUE(rows.ok()) << rows.error().ToString();
  ASSERT_EQ(rows->size(), 3u);
  EXPECT_EQ((*rows)[1].cells, (std::vector<std::string>{"1", "x, \"y\"", "two\nlines"}));
  EXPECT_EQ((*rows)[2].line, 5);
  EXPECT_EQ((*rows)[2].cells, (std::vector<std::string>{"3", "", ""}));
}

TEST(CsvTest, NamesLineAndColumnOfMalformedRows) {
  auto unterminated = ParseCsv("a,b\n1,\"open\n");
  ASSERT_FALSE(unterminated.ok());
  EXPECT_EQ(unterminated.error().where, "line 2, column 2");
  auto stray = ParseCsv("a,b\n1,x\"y\n");
  EXPECT_EQ(stray.error().where, "line 2, column 2");
  auto ragged = ParseCsv("a,b\n1,2\n1,2,3\n");
  EXPECT_EQ(ragged.error().where, "line 3, column 3");
}

TEST(CsvTest, MapsColumnsToFieldsAndRejectsUnknownColumns) {
  const KindSpec& kind = *FindKind("death");
  auto ok = CsvToBatch(kind, "patient,cause,death_date\nP1,infection,2024-01-02\n");
  ASSERT_TRUE(ok.ok());
  EXPECT_TRUE(ok->errors.empty());
  ASSERT_EQ(ok->batch.rows.size(), 1u);
  EXPECT_EQ(ok->batch.rows[0].patient, "P1");
  EXPECT_EQ(ok->batch.column_of_field, (std::vector<int>{3, 2}));
  auto unknown = CsvToBatch(kind, "patient,when\nP1,2024-01-02\n");
  ASSERT_FALSE(unknown.ok());
  EXPECT_NE(unknown.error().message.find("unknown column 'when'"), std::string::npos);
  auto no_patient = CsvToBatch(kind, "death_date,cause\n2024-01-02,infection\n");
  EXPECT_FALSE(no_patient.ok());
}

TEST(CsvTest, WritesCellsThatReadBackTheSame) {
  const std::vector<std::string> cells = {"plain", "with,comma", "with \"quote\"", "two\nlines",
                                          ""};
  std::string line;
  for (size_t i = 0; i < cells.size(); ++i) line += (i ? "," : "") + CsvCell(cells[i]);
  auto rows = ParseCsv(line + "\n");
  ASSERT_TRUE(rows.ok());
  EXPECT_EQ((*rows)[0].cells, cells);
}

TEST(CsvTest, FieldsTheReaderMayNotSeeGetNoColumn) {
  Record p = MakeRecord(PatientKind(), {{"pseudonym", std::string("P-1")},
                                        {"site", std::string("IT-FO-01")},
                                        {"sex", std::string("female")},
                                        {"birth_year", int64_t{1970}},
                                        {"registered_on", *Date::Parse("2024-01-10")}});
  const std::vector<std::string_view> left_out = {"birth_month"};
  EXPECT_EQ(RecordsToCsv(PatientKind(), {p}, {}, left_out),
            "pseudonym,site,sex,birth_year,registered_on\nP-1,IT-FO-01,female,1970,2024-01-10\n");
  EXPECT_EQ(RecordsToCsv(PatientKind(), {p}, {}).substr(0, 48),
            "pseudonym,site,sex,birth_year,birth_month,regist");
}

TEST(CsvTest, ArbitraryBytesNeverCrashTheReader) {
  const unsigned seed = std::random_device{}();
  std::printf("csv property test seed %u\n", seed);
  std::mt19937 rng(seed);
  const std::string alphabet = "ab,\"\n\r;0-9 \xEF\xBB\xBF";
  for (int i = 0; i < 20000; ++i) {
    std::string text(std::uniform_int_distribution<size_t>(0, 60)(rng), ' ');
    for (auto& c : text)
      c = alphabet[std::uniform_int_distribution<size_t>(0, alphabet.size() - 1)(rng)];
    auto rows = ParseCsv(text);
    if (rows.ok()) {
      for (const auto& row : *rows) EXPECT_EQ(row.cells.size(), rows->front().cells.size());
    }
    (void)CsvToBatch(*FindKind("variant"), text);
  }
}

}  // namespace
}  // namespace stream::interop
