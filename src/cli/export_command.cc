// stream export csv <kind>: every record of a kind, with the patient's pseudonym.
#include <map>

#include "cli/commands.h"
#include "cli/kind_argument.h"
#include "interop/csv.h"

namespace stream::cli {

void AddExportCommand(CLI::App& app, CliContext& ctx, int& exit_code) {
  auto* cmd = app.add_subcommand("export", "Export records");
  cmd->require_subcommand(1);
  auto* csv = cmd->add_subcommand("csv", "Export one record kind as CSV");
  auto kind_name = std::make_shared<std::string>();
  auto output = std::make_shared<std::string>();
  csv->add_option("kind", *kind_name, "patient, or a record kind")->required();
  csv->add_option("--output,-o", *output, "File to write (default: standard output)");
  csv->callback([&ctx, &exit_code, kind_name, output] {
    auto kind = KindArgument(*kind_name, true);
    if (!kind.ok()) return void(exit_code = ReportError(kind.error()));
    auto registry = ctx.Registry();
    if (!registry.ok()) return void(exit_code = ReportError(registry.error()));
    const auto actor = ctx.Operator();
    // Keyset pagination keeps memory flat for large registries.
    auto page_all = [&](const KindSpec& k) -> Result<std::vector<Record>> {
      std::vector<Record> all;
      RecordFilter filter;
      filter.limit = 10000;
      while (true) {
        STREAM_ASSIGN_OR_RETURN(auto page, (*registry)->ListRecords(actor, k, filter));
        if (page.empty()) break;
        filter.after_id = page.back().id;
        for (auto& r : page) all.push_back(std::move(r));
      }
      return all;
    };
    auto records = page_all(**kind);
    if (!records.ok()) return void(exit_code = ReportError(records.error()));
    std::vector<std::string> pseudonyms;
    if (*kind != &PatientKind()) {
      auto patients = page_all(PatientKind());
      if (!patients.ok()) return void(exit_code = ReportError(patients.error()));
      std::map<int64_t, std::string> by_id;
      for (const auto& p : *patients) by_id[p.id] = p.Text(PatientKind(), "pseudonym").value_or("");
      for (const auto& r : *records) pseudonyms.push_back(by_id[r.patient_id]);
    }
    if (Status s = WriteOutput(*output, interop::RecordsToCsv(**kind, *records, pseudonyms));
        !s.ok()) {
      exit_code = ReportError(s.error());
    }
  });
}

}  // namespace stream::cli
