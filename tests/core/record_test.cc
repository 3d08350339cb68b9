// Issue #14: reading a field a record kind does not have is a program error that fails
// at once, never a silent null; a known field missing from an older, shorter row reads
// as null.
#include "core/record.h"

#include <gtest/gtest.h>

#include <stdexcept>

#include "core/schema.h"

namespace stream {
namespace {

TEST(RecordTest, AMisspeltFieldFailsLoudlyAndAShortRowReadsNull) {
  const KindSpec& diagnosis = *FindKind("diagnosis");
  Record r = MakeRecord(diagnosis, {{"disease", std::string("aml")}});
  EXPECT_EQ(r.Text(diagnosis, "disease"), "aml");
  EXPECT_THROW((void)r.Text(diagnosis, "diseases"), std::logic_error);
  try {
    (void)r.DateOf(diagnosis, "diagnosis_dat");
    ADD_FAILURE() << "no error for a misspelt field";
  } catch (const std::logic_error& e) {
    EXPECT_STREQ(e.what(), "record kind 'diagnosis' has no field 'diagnosis_dat'");
  }
  r.values.resize(1);  // a row from before a later migration added fields
  EXPECT_FALSE(r.DateOf(diagnosis, "diagnosis_date").has_value());
}

}  // namespace
}  // namespace stream
