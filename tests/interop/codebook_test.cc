// The export codebook is generated from the data model: one row per field of every kind,
// readable back as CSV, with units, bounds, formats and code lists as the schema says.
#include "interop/codebook.h"

#include <gtest/gtest.h>

#include "core/schema.h"
#include "interop/csv.h"

namespace stream::interop {
namespace {

TEST(CodebookTest, HasOneRowPerFieldOfEveryKindAsTheDataModelSays) {
  auto rows = ParseCsv(CodebookCsv());
  ASSERT_TRUE(rows.ok()) << rows.error().ToString();
  size_t fields = PatientKind().fields.size();
  for (const auto& kind : RecordKinds()) fields += kind.fields.size();
  ASSERT_EQ(rows->size(), fields + 1);
  EXPECT_EQ(rows->front().cells,
            (std::vector<std::string>{"kind", "table", "field", "type", "required", "unit",
                                      "minimum", "maximum", "format", "code_system", "codes",
                                      "code_labels", "description", "seen_by"}));
  auto find = [&](const std::string& kind, const std::string& field) {
    for (const auto& r : *rows)
      if (r.cells[0] == kind && r.cells[2] == field) return r.cells;
    return std::vector<std::string>{};
  };
  const auto vaf = find("variant", "vaf");
  ASSERT_EQ(vaf.size(), 14u);
  EXPECT_EQ(vaf[3], "number");
  EXPECT_EQ(vaf[6], "0");
  EXPECT_EQ(vaf[7], "100");
  const auto gene = find("variant", "gene");
  EXPECT_EQ(gene[8], "gene_symbol");
  EXPECT_EQ(gene[4], "yes");
  const auto purpose = find("specimen", "purpose");
  EXPECT_EQ(purpose[10], "mrd | diagnosis | relapse | research | germline_control");
  EXPECT_EQ(purpose[11],
            "mrd=Measurable residual disease (MRD) | diagnosis=Diagnosis | relapse=Relapse | "
            "research=Research | germline_control=Germline control");
  EXPECT_EQ(find("response", "eln2022_category")[11].substr(0, 28), "cr=Complete remission (CR) |");
  const auto hours = find("specimen", "hours_to_processing");
  EXPECT_EQ(hours[5], "h");
  EXPECT_EQ(hours[4], "no");
  EXPECT_EQ(find("patient", "pseudonym")[1], "patients");
  // Who may see each field (core/schema.h, Audience).
  EXPECT_EQ(find("patient", "birth_month")[13],
            "investigator | data_entry | data_manager | monitor | administrator");
  EXPECT_EQ(find("patient", "birth_year")[13],
            "investigator | data_entry | data_manager | monitor | statistician | board_member | "
            "administrator");
}

}  // namespace
}  // namespace stream::interop
