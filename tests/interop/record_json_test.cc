// Records as JSON: a field withheld from the reader (Record::withheld) is left out, so
// that "not shown to you" never reads as "not recorded" (null).
#include "interop/record_json.h"

#include <gtest/gtest.h>

namespace stream::interop {
namespace {

TEST(RecordJsonTest, AWithheldFieldIsLeftOutAndANotRecordedOneIsNull) {
  Record p = MakeRecord(PatientKind(), {{"pseudonym", std::string("P-1")},
                                        {"site", std::string("IT-FO-01")},
                                        {"birth_year", int64_t{1970}}});
  p.withheld.assign(p.values.size(), false);
  p.withheld[PatientKind().IndexOf("birth_month")] = true;
  const auto json = RecordToJson(PatientKind(), p);
  EXPECT_FALSE(json.contains("birth_month")) << json.dump();
  ASSERT_TRUE(json.contains("sex"));
  EXPECT_TRUE(json.at("sex").is_null());
  EXPECT_EQ(json.at("birth_year"), 1970);
}

}  // namespace
}  // namespace stream::interop
