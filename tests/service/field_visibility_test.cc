// Issue #14: the schema says which role may see each field. Quasi-identifiers (the month
// of birth, a tube's printed label) are left out for readers outside the care team: in
// record reads, exports and the audit trail, marked as withheld rather than shown empty.
#include "service/field_visibility.h"

#include <gtest/gtest.h>

#include "service/access_policy.h"
#include "service/audit_query.h"
#include "service/export_service.h"
#include "service/study_pseudonyms.h"
#include "support/registry_fixture.h"

namespace stream::service {
namespace {

using testing::RegistryFixture;

Actor As(const char* role) { return Actor{"u", role, "", "r"}; }

size_t BirthMonth() { return PatientKind().IndexOf("birth_month"); }

TEST(FieldVisibility, TheSchemaMarksTheQuasiIdentifiersForTheCareTeam) {
  EXPECT_EQ(PatientKind().FindField("birth_month")->audience, Audience::kCareTeam);
  EXPECT_EQ(PatientKind().FindField("birth_year")->audience, Audience::kEveryReader);
  EXPECT_EQ(FindKind("specimen")->FindField("label")->audience, Audience::kCareTeam);
  EXPECT_EQ(RolesSeeing(Audience::kCareTeam),
            (std::vector<std::string>{"investigator", "data_entry", "data_manager", "monitor",
                                      "administrator"}));
  EXPECT_EQ(RolesSeeing(Audience::kEveryReader),
            (std::vector<std::string>{"investigator", "data_entry", "data_manager", "monitor",
                                      "statistician", "board_member", "administrator"}));
}

TEST(FieldVisibility, EveryRoleThatWritesTheRegistrySeesEveryField) {
  // A correction is laid over the record as read: a writer who could not see a field
  // would blank it by saving.
  for (const auto& role : Roles()) {
    if (!Allows(role, Permission::kWriteRegistry)) continue;
    EXPECT_TRUE(WithheldFields(role, PatientKind()).empty()) << role;
    for (const auto& kind : RecordKinds()) EXPECT_TRUE(WithheldFields(role, kind).empty()) << role;
  }
}

TEST(FieldVisibility, ABoardMemberReadsThePatientWithoutTheMonthOfBirth) {
  RegistryFixture f;
  const Record p = f.AddAmlPatient("P-V", RegistryFixture::kSiteA);

  auto seen = f.registry().GetPatient(As("board_member"), p.id);
  ASSERT_TRUE(seen.ok()) << seen.error().ToString();
  EXPECT_TRUE(seen->Withheld(BirthMonth()));
  EXPECT_TRUE(IsNull(seen->values[BirthMonth()]));
  EXPECT_FALSE(seen->Withheld(PatientKind().IndexOf("birth_year")));

  auto listed = f.registry().ListPatients(As("board_member"), {});
  ASSERT_TRUE(listed.ok());
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_TRUE(listed->front().Withheld(BirthMonth()));
  auto by_pseudonym = f.registry().GetPatientByPseudonym(As("board_member"), "P-V");
  ASSERT_TRUE(by_pseudonym.ok());
  EXPECT_TRUE(IsNull(by_pseudonym->values[BirthMonth()]));

  auto monitor = f.registry().GetPatient(As("monitor"), p.id);
  ASSERT_TRUE(monitor.ok());
  EXPECT_FALSE(monitor->Withheld(BirthMonth()));
  EXPECT_EQ(monitor->values[BirthMonth()], Value{int64_t{3}});
}

TEST(FieldVisibility, ASpecimenLabelIsKeptFromTheBoard) {
  RegistryFixture f;
  const Record p = f.AddAmlPatient("P-S", RegistryFixture::kSiteA);
  const KindSpec& specimen = *FindKind("specimen");
  auto added =
      f.registry().AddRecord(RegistryFixture::Central(), specimen, p.id,
                             MakeRecord(specimen, {{"label", std::string("FO-24-0001-BM")},
                                                   {"specimen_type", std::string("bone_marrow")},
                                                   {"purpose", std::string("mrd")},
                                                   {"collection_date", *Date::Parse("2024-02-01")}})
                                 .values);
  ASSERT_TRUE(added.ok()) << added.error().ToString();

  auto seen = f.registry().GetRecord(As("board_member"), specimen, added->id);
  ASSERT_TRUE(seen.ok());
  EXPECT_TRUE(seen->Withheld(specimen.IndexOf("label")));
  EXPECT_TRUE(IsNull(seen->values[specimen.IndexOf("label")]));
  EXPECT_EQ(seen->Text(specimen, "purpose"), "mrd");
  auto read = f.registry().GetRecord(As("investigator"), specimen, added->id);
  ASSERT_TRUE(read.ok());
  EXPECT_EQ(read->Text(specimen, "label"), "FO-24-0001-BM");
}

TEST(FieldVisibility, AStatisticiansExportHasNoMonthOfBirthColumn) {
  RegistryFixture f;
  f.AddAmlPatient("P-E", RegistryFixture::kSiteA);
  StudyPseudonyms pseudonyms(std::string(32, 'k'));
  ExportService exports(f.store(), pseudonyms);

  auto table = exports.Export(As("statistician"), PatientKind(), "registry");
  ASSERT_TRUE(table.ok()) << table.error().ToString();
  EXPECT_EQ(table->withheld_fields, (std::vector<std::string_view>{"birth_month"}));
  ASSERT_EQ(table->records.size(), 1u);
  EXPECT_TRUE(table->records[0].Withheld(BirthMonth()));
  EXPECT_TRUE(IsNull(table->records[0].values[BirthMonth()]));

  auto central = exports.Export(RegistryFixture::Central(), PatientKind(), "");
  ASSERT_TRUE(central.ok());
  EXPECT_TRUE(central->withheld_fields.empty());
  EXPECT_EQ(central->records[0].values[BirthMonth()], Value{int64_t{3}});
}

TEST(FieldVisibility, TheAuditTrailMasksTheMonthOfBirthForTheRandomisationAdministrator) {
  RegistryFixture f;
  const Record p = f.AddAmlPatient("P-A", RegistryFixture::kSiteA);
  auto changed = p.values;
  changed[BirthMonth()] = Value{int64_t{4}};
  ASSERT_TRUE(f.registry()
                  .UpdateRecord(RegistryFixture::Central(), PatientKind(), p.id, p.version, changed,
                                "transcription error")
                  .ok());
  AuditQuery audit(f.store(), [](const std::string&) { return false; });
  AuditFilter filter;
  filter.entity = "patient";
  filter.entity_id = p.id;

  auto masked = audit.Find(As("randomisation_admin"), filter);
  ASSERT_TRUE(masked.ok()) << masked.error().ToString();
  ASSERT_EQ(masked->size(), 2u);
  EXPECT_EQ(masked->at(0).field, "birth_month");
  EXPECT_EQ(masked->at(0).old_value, "(withheld)");
  EXPECT_EQ(masked->at(0).new_value, "(withheld)");
  const std::string created = masked->at(1).new_value.value_or("");
  EXPECT_NE(created.find("birth_month=(withheld)"), std::string::npos) << created;
  EXPECT_NE(created.find("birth_year=1970"), std::string::npos) << created;

  auto plain = audit.Find(As("monitor"), filter);
  ASSERT_TRUE(plain.ok());
  EXPECT_EQ(plain->at(0).old_value, "3");
  EXPECT_EQ(plain->at(0).new_value, "4");
}

}  // namespace
}  // namespace stream::service
