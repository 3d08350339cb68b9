// The stream program, black-box: the commands a data manager types, on a real folder.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "support/temp_dir.h"

namespace stream {
namespace {

using testing::CommandOutput;
using testing::RunCommand;
using testing::StreamBinary;
using testing::TempDir;

class CliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_EQ(Stream("init").exit_code, 0);
    ASSERT_EQ(Stream("site add IT-FO-01 --name Meldola --country IT").exit_code, 0);
  }

  // Runs `stream --data <tmp> args`; stderr is folded into the output.
  CommandOutput Stream(const std::string& args) {
    return RunCommand(StreamBinary() + " --data " + dir_.path() + " " + args + " 2>&1");
  }

  std::string Write(const std::string& name, const std::string& text) {
    std::ofstream(dir_.File(name)) << text;
    return dir_.File(name);
  }

  void AddPatient(const std::string& pseudonym) {
    auto out =
        Stream("patient add '{\"pseudonym\":\"" + pseudonym +
               "\",\"site\":\"IT-FO-01\",\"sex\":\"male\",\"birth_year\":1960,\"birth_month\":5,"
               "\"registered_on\":\"2024-03-01\"}'");
    ASSERT_EQ(out.exit_code, 0) << out.out;
    out = Stream("record add diagnosis '{\"patient\":\"" + pseudonym +
                 "\",\"disease\":\"aml\",\"diagnosis_date\":\"2023-06-01\",\"origin\":\"de_novo\","
                 "\"status_at_registration\":\"first_relapse\"}'");
    ASSERT_EQ(out.exit_code, 0) << out.out;
  }

  TempDir dir_;
};

// Issue #15.8: the databases and keys hold pseudonymised health data and the keys to it;
// no other user of the machine may read them (0600), nor list the folder (0700).
TEST_F(CliTest, EveryFileInTheDataFolderIsTheOwnersOnly) {
  AddPatient("P-MODE");
  int files = 0;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(dir_.path())) {
    const auto perms = entry.status().permissions();
    const bool others =
        (perms & (std::filesystem::perms::group_all | std::filesystem::perms::others_all)) !=
        std::filesystem::perms::none;
    EXPECT_FALSE(others) << entry.path() << " is readable by others";
    files += entry.is_regular_file() ? 1 : 0;
  }
  EXPECT_GE(files, 3) << "the registry, the identity database and the keys";
}

// Issue #15.8: the command line reads JSON as strictly as the API.
TEST_F(CliTest, AKeyGivenTwiceOrANumberBeyondRangeIsRefusedAndNothingIsWritten) {
  auto twice = Stream(
      "patient add '{\"pseudonym\":\"P-1\",\"pseudonym\":\"P-2\",\"site\":\"IT-FO-01\","
      "\"sex\":\"male\",\"birth_year\":1960,\"birth_month\":5,"
      "\"registered_on\":\"2024-03-01\"}'");
  EXPECT_NE(twice.exit_code, 0);
  EXPECT_NE(twice.out.find("argument: key 'pseudonym' is given twice"), std::string::npos)
      << twice.out;
  auto huge = Stream(
      "patient add '{\"pseudonym\":\"P-3\",\"site\":\"IT-FO-01\",\"sex\":\"male\","
      "\"birth_year\":1e400,\"birth_month\":5,\"registered_on\":\"2024-03-01\"}'");
  EXPECT_NE(huge.exit_code, 0);
  EXPECT_NE(huge.out.find("out of range"), std::string::npos) << huge.out;
  EXPECT_EQ(Stream("patient list").out, "[]\n");
}

TEST_F(CliTest, RegistersAPatientAndRecordsWithJsonInAndOut) {
  AddPatient("S-1");
  auto out = Stream(
      "record add variant '{\"patient\":\"S-1\",\"gene\":\"FLT3\",\"variant_type\":\"itd\","
      "\"vaf\":32.5,\"method\":\"fragment_analysis\",\"sample_date\":\"2024-02-20\"}'");
  ASSERT_EQ(out.exit_code, 0) << out.out;
  EXPECT_NE(out.out.find("\"gene\": \"FLT3\""), std::string::npos);
  out = Stream("record list variant --patient S-1");
  EXPECT_NE(out.out.find("\"vaf\": 32.5"), std::string::npos) << out.out;
  out = Stream("patient show S-1");
  EXPECT_NE(out.out.find("\"birth_year\": 1960"), std::string::npos) << out.out;
}

TEST_F(CliTest, BadInputNamesTheFieldExitsNonZeroAndWritesNothing) {
  AddPatient("S-2");
  struct Case {
    std::string json;
    std::string expected;
  } cases[] = {
      {R"({"patient":"S-2","gene":"TP53","variant_type":"missense","vaf":120,"method":"ngs","sample_date":"2024-02-20"})",
       "vaf: 120 is out of range"},
      {R"({"patient":"S-2","gene":"TP53","variant_type":"missense","vaf":"high","method":"ngs","sample_date":"2024-02-20"})",
       "/vaf: expected a number"},
      {R"({"patient":"S-2","gene":"TP53","variant_type":"deletion","method":"ngs","sample_date":"2024-02-20"})",
       "variant_type: unknown code 'deletion'"},
      {R"({"patient":"S-2","gene":"TP53","variant_type":"missense","method":"ngs","sample_date":"2024-02-30"})",
       "/sample_date: expected a date"},
      {R"({"patient":"S-2","gene":"TP53","colour":"red","variant_type":"missense","method":"ngs","sample_date":"2024-02-20"})",
       "/colour: unknown field"},
  };
  for (const auto& c : cases) {
    auto out = Stream("record add variant '" + c.json + "'");
    EXPECT_NE(out.exit_code, 0) << c.json;
    EXPECT_NE(out.out.find(c.expected), std::string::npos) << out.out;
  }
  auto death = Stream(
      R"(record add death '{"patient":"S-2","death_date":"2023-01-01","cause":"leukaemia"}')");
  EXPECT_NE(death.exit_code, 0);
  EXPECT_NE(death.out.find("death_date: 2023-01-01 is before the diagnosis"), std::string::npos)
      << death.out;
  auto negative = Stream(
      R"(record add response '{"patient":"S-2","assessment_date":"2024-01-01","marrow_blasts":-4}')");
  EXPECT_NE(negative.out.find("marrow_blasts: -4 is out of range"), std::string::npos)
      << negative.out;
  auto dup = Stream(
      R"(patient add '{"pseudonym":"S-2","site":"IT-FO-01","sex":"male","birth_year":1960,"birth_month":5,"registered_on":"2024-03-01"}')");
  EXPECT_NE(dup.exit_code, 0);
  EXPECT_NE(dup.out.find("pseudonym: pseudonym 'S-2' is already registered"), std::string::npos)
      << dup.out;
  EXPECT_EQ(Stream("record list variant").out, "[]\n");
  EXPECT_EQ(Stream("record list death").out, "[]\n");
}

TEST_F(CliTest, ImportsCsvAllOrNothingWithLineAndColumn) {
  AddPatient("S-3");
  const std::string bad = Write("bad.csv",
                                "patient,gene,variant_type,vaf,method,sample_date\n"
                                "S-3,IDH1,missense,41,ngs,2024-02-20\n"
                                "S-3,IDH2,missense,abc,ngs,2024-02-20\n"
                                "S-3,NPM1,nonsense_frameshift,30,ngs,2024-13-01\n");
  auto out = Stream("import csv variant " + bad);
  EXPECT_EQ(out.exit_code, 2);
  EXPECT_NE(out.out.find("line 3, column 4: vaf: expected a number, got 'abc'"), std::string::npos)
      << out.out;
  EXPECT_NE(out.out.find("line 4, column 6: sample_date: expected a date"), std::string::npos)
      << out.out;
  EXPECT_NE(out.out.find("nothing was imported"), std::string::npos);
  const std::string range = Write("range.csv",
                                  "patient,gene,variant_type,vaf,method,sample_date\n"
                                  "S-3,IDH1,missense,41,ngs,2024-02-20\n"
                                  "S-3,TP53,missense,101,ngs,2024-02-20\n");
  out = Stream("import csv variant " + range);
  EXPECT_NE(out.out.find("line 3, column 4 (vaf): 101 is out of range"), std::string::npos)
      << out.out;
  EXPECT_EQ(Stream("record list variant").out, "[]\n");

  const std::string good =
      Write("good.csv",
            "patient,gene,hgvs,variant_type,vaf,method,sample_date\n"
            "S-3,IDH1,p.Arg132His,missense,41,ngs,2024-02-20\n"
            "S-3,NPM1,\"p.Trp288CysfsTer12\",nonsense_frameshift,30.5,ngs,2024-02-20\n");
  out = Stream("import csv variant " + good);
  ASSERT_EQ(out.exit_code, 0) << out.out;
  EXPECT_NE(out.out.find("imported 2 variant record(s)"), std::string::npos);
  out = Stream("export csv variant");
  EXPECT_EQ(out.out,
            "patient,gene,hgvs,variant_type,vaf,method,sample_date\n"
            "S-3,IDH1,p.Arg132His,missense,41,ngs,2024-02-20\n"
            "S-3,NPM1,p.Trp288CysfsTer12,nonsense_frameshift,30.5,ngs,2024-02-20\n");
}

TEST_F(CliTest, ASignedCheckpointFindsATruncatedTrailAndAnAlteredAnchorFile) {
  AddPatient("S-5");
  const std::string anchors = dir_.File("anchors.log");
  auto out = Stream("audit checkpoint --anchor " + anchors);
  ASSERT_EQ(out.exit_code, 0) << out.out;
  EXPECT_NE(out.out.find("checkpoint: row "), std::string::npos) << out.out;
  EXPECT_EQ(
      std::filesystem::status(dir_.File("anchor.key")).permissions() & std::filesystem::perms::all,
      std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
  out = Stream("audit verify --anchor " + anchors);
  EXPECT_EQ(out.exit_code, 0) << out.out;
  EXPECT_NE(out.out.find("anchor: 1 signed checkpoint(s)"), std::string::npos) << out.out;

  // The newest audit row removed with the shell: the checkpoint names a row that is gone.
  auto cut = RunCommand("sqlite3 " + dir_.File("stream.db") +
                        " \"DROP TRIGGER audit_log_no_delete; DELETE FROM audit_log WHERE seq = "
                        "(SELECT MAX(seq) FROM audit_log);\" 2>&1");
  ASSERT_EQ(cut.exit_code, 0) << cut.out;
  out = Stream("audit verify --anchor " + anchors);
  EXPECT_EQ(out.exit_code, 1);
  EXPECT_NE(out.out.find("rows were removed from its end (truncated)"), std::string::npos)
      << out.out;

  // A checkpoint line edited by hand no longer carries a valid signature.
  std::string line;
  std::getline(std::ifstream(anchors) >> std::ws, line);
  const auto at = line.find("\"seq\":");
  ASSERT_NE(at, std::string::npos) << line;
  line.replace(at, 6, "\"seq\":1,\"x\":0,\"_\":");
  std::ofstream(anchors) << line << "\n";
  out = Stream("audit verify --anchor " + anchors);
  EXPECT_EQ(out.exit_code, 1);
  EXPECT_NE(out.out.find("bad signature"), std::string::npos) << out.out;
}

TEST_F(CliTest, EditingAnAuditRowWithTheSqliteShellIsDetected) {
  AddPatient("S-4");
  ASSERT_EQ(Stream("audit verify").exit_code, 0);
  const std::string db = dir_.File("stream.db");
  auto edit = RunCommand(
      "sqlite3 " + db +
      " \"DROP TRIGGER audit_log_no_update; "
      "UPDATE audit_log SET new_value = replace(new_value, 'male', 'female') WHERE seq = 2; "
      "CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log BEGIN SELECT RAISE(ABORT, "
      "'x'); END;\" 2>&1");
  ASSERT_EQ(edit.exit_code, 0) << edit.out;
  auto out = Stream("audit verify");
  EXPECT_EQ(out.exit_code, 1);
  EXPECT_NE(out.out.find("audit row 2: content does not match its hash"), std::string::npos)
      << out.out;
  EXPECT_EQ(out.out.find("audit row 3"), std::string::npos) << "no false positives: " << out.out;
}

TEST_F(CliTest, TheSqliteShellCannotEditAuditRowsWhileProtected) {
  AddPatient("S-5");
  auto edit = RunCommand("sqlite3 " + dir_.File("stream.db") +
                         " \"UPDATE audit_log SET actor = 'x' WHERE seq = 1\" 2>&1");
  EXPECT_NE(edit.exit_code, 0);
  EXPECT_NE(edit.out.find("append-only"), std::string::npos) << edit.out;
}

TEST_F(CliTest, DemoGenerateIsQuietWhenPipedAndTheRegistryVerifies) {
  auto out = Stream("demo generate --patients 30 --sites 3 --seed 5");
  ASSERT_EQ(out.exit_code, 0) << out.out;
  EXPECT_EQ(out.out.rfind("generated 30 synthetic patients", 0), 0u)
      << "no progress output when piped: " << out.out;
  EXPECT_EQ(Stream("audit verify").exit_code, 0);
  auto csv = Stream("export csv patient");
  EXPECT_EQ(std::count(csv.out.begin(), csv.out.end(), '\n'), 31);
}

TEST_F(CliTest, UnknownKindsAndMissingDatabasesAreClearErrors) {
  auto out = Stream("record list cytokine");
  EXPECT_EQ(out.exit_code, 2);
  EXPECT_NE(out.out.find("unknown record kind 'cytokine'"), std::string::npos);
  out = RunCommand(StreamBinary() + " --data " + dir_.File("nowhere") + " patient list 2>&1");
  EXPECT_NE(out.exit_code, 0);
  EXPECT_NE(out.out.find("run 'stream init' first"), std::string::npos) << out.out;
}

TEST(DocsTest, TheDataModelReferenceIsUpToDate) {
  auto generated = RunCommand(StreamBinary() + " schema markdown");
  std::ifstream in(std::string(STREAM_SOURCE_DIR) + "/docs/data-model.md");
  std::string committed((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_EQ(generated.out, committed)
      << "run: build/bin/stream schema markdown > docs/data-model.md";
}

}  // namespace
}  // namespace stream
