// The shipped instrument definitions load and score as the manuals say; a faulty file is
// refused naming its line; licensed wording replaces the placeholders all or nothing.
#include "protocol/instrument_loader.h"

#include <gtest/gtest.h>

namespace stream::protocol {
namespace {

const std::string kDir = std::string(STREAM_SOURCE_DIR) + "/instruments";

const clinical::ProInstrument& Find(const std::vector<clinical::ProInstrument>& all,
                                    const std::string& id) {
  for (const auto& q : all)
    if (q.id == id) return q;
  throw std::logic_error("no instrument " + id);
}

std::optional<double> ScoreOf(const clinical::InstrumentScores& s, const std::string& code) {
  for (const auto& x : s.scales)
    if (x.code == code) return x.score;
  throw std::logic_error("no scale " + code);
}

TEST(InstrumentLoaderTest, TheShippedInstrumentsLoad) {
  auto all = LoadInstrumentDirectory(kDir);
  ASSERT_TRUE(all.ok()) << all.error().ToString();
  ASSERT_EQ(all->size(), 3u);
  const auto& qlq = Find(*all, "eortc_qlq_c30");
  EXPECT_EQ(qlq.items.size(), 30u);
  EXPECT_EQ(qlq.scales.size(), 15u);
  EXPECT_EQ(qlq.summary.size(), 13u);
  EXPECT_EQ(qlq.FindItem(29)->highest, 7);
  EXPECT_EQ(qlq.FindItem(28)->highest, 4);
  EXPECT_NE(qlq.FindItem(1)->wording.find("licensed wording not loaded"), std::string::npos)
      << "the repository ships no copyrighted wording";
  const auto& child = Find(*all, "paediatric_generic");
  EXPECT_EQ(child.population, "paediatric");
  EXPECT_EQ(child.FindItem(1)->lowest, 0);
  const auto& ctcae = Find(*all, "pro_ctcae_core");
  EXPECT_EQ(ctcae.FindItem(1)->id, "nausea_frequency");
}

TEST(InstrumentLoaderTest, TheShippedQlqC30ScoresTheManualsWorkedExample) {
  auto all = LoadInstrumentDirectory(kDir);
  ASSERT_TRUE(all.ok());
  // PF2 1,1,2,1,1 → 93.33; QL2 5,6 → 75; FA 3,2,2 → 44.44 (clinical/pro_instrument_test.cc).
  std::map<int, int> a;
  for (int n = 1; n <= 28; ++n) a[n] = 1;
  a[3] = 2, a[10] = 3, a[12] = 2, a[18] = 2, a[29] = 5, a[30] = 6;
  auto s = clinical::ScoreQuestionnaire(Find(*all, "eortc_qlq_c30"), a);
  ASSERT_TRUE(s.ok()) << s.error().ToString();
  EXPECT_NEAR(*ScoreOf(*s, "PF2"), 93.333333333333, 1e-9);
  EXPECT_NEAR(*ScoreOf(*s, "QL2"), 75.0, 1e-12);
  EXPECT_NEAR(*ScoreOf(*s, "FA"), 44.444444444444, 1e-9);
  // The paediatric slot: 0 → 100 … 4 → 0; answers 1 everywhere → 75.
  std::map<int, int> child;
  for (int n = 1; n <= 23; ++n) child[n] = 1;
  auto c = clinical::ScoreQuestionnaire(Find(*all, "paediatric_generic"), child);
  ASSERT_TRUE(c.ok());
  EXPECT_NEAR(*ScoreOf(*c, "TOTAL"), 75.0, 1e-12);
  // PRO-CTCAE is read item by item: no summed scale.
  auto p = clinical::ScoreQuestionnaire(Find(*all, "pro_ctcae_core"), {{1, 3}});
  ASSERT_TRUE(p.ok());
  EXPECT_FALSE(ScoreOf(*p, "ITEMS").has_value());
}

TEST(InstrumentLoaderTest, AFaultyDefinitionIsRefusedNamingItsLine) {
  const std::string text =
      "id: x\nversion: '1'\nname: X\npopulation: adult\n"
      "items:\n  - {numbers: 1-4, answers: 1-4}\n"
      "scales:\n  - {code: A, name: A, kind: sideways, items: [1, 2]}\n";
  auto bad = ParseInstrument(text, "x.yaml");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(bad.error().where.rfind("x.yaml:8:", 0), 0u) << bad.error().where;
  EXPECT_NE(bad.error().message.find("functional"), std::string::npos) << bad.error().message;
  std::string missing_item = text;
  missing_item.replace(missing_item.find("sideways"), 8, "symptom");
  missing_item.replace(missing_item.find("[1, 2]"), 6, "[1, 9]");
  auto no_item = ParseInstrument(missing_item, "x.yaml");
  ASSERT_FALSE(no_item.ok());
  EXPECT_NE(no_item.error().message.find("no item 9"), std::string::npos)
      << no_item.error().message;
  std::string trailing = text;
  trailing.replace(trailing.find("1-4, answers"), 3, "1x-4");
  auto not_a_number = ParseInstrument(trailing, "x.yaml");
  ASSERT_FALSE(not_a_number.ok());
  EXPECT_EQ(not_a_number.error().where.rfind("x.yaml:6:", 0), 0u) << not_a_number.error().where;
  EXPECT_FALSE(ParseInstrument("id: [", "y.yaml").ok());
  EXPECT_FALSE(ParseInstrument("", "z.yaml").ok());
  std::string population = text;
  population.replace(population.find("adult"), 5, "elderly");
  EXPECT_EQ(ParseInstrument(population, "x.yaml").error().where.rfind("x.yaml:4:", 0), 0u);
}

TEST(InstrumentLoaderTest, LicensedWordingReplacesThePlaceholdersAllOrNothing) {
  auto all = LoadInstrumentDirectory(kDir);
  ASSERT_TRUE(all.ok());
  auto qlq = Find(*all, "eortc_qlq_c30");
  const auto before = qlq.items;
  auto wrong = ApplyWording(qlq,
                            "instrument: eortc_qlq_c30\nversion: '3.0'\n"
                            "items:\n  1: First licensed item\n  31: No such item\n",
                            "wording.yaml");
  ASSERT_FALSE(wrong.ok());
  EXPECT_EQ(wrong.error().where.rfind("wording.yaml:5:", 0), 0u) << wrong.error().where;
  EXPECT_EQ(qlq.items[0].wording, before[0].wording) << "nothing applied from a faulty file";
  auto other = ApplyWording(qlq, "instrument: pro_ctcae_core\nversion: '1.0'\nitems: {1: x}\n",
                            "wording.yaml");
  EXPECT_FALSE(other.ok());
  ASSERT_TRUE(ApplyWording(qlq,
                           "instrument: eortc_qlq_c30\nversion: '3.0'\n"
                           "items:\n  1: First licensed item\n",
                           "wording.yaml")
                  .ok());
  EXPECT_EQ(qlq.items[0].wording, "First licensed item");
  EXPECT_EQ(qlq.items[1].wording, before[1].wording);
}

}  // namespace
}  // namespace stream::protocol
