// stream import csv <kind> FILE: validated, all-or-nothing bulk import.
#include <iostream>

#include "cli/commands.h"
#include "cli/kind_argument.h"
#include "interop/csv.h"

namespace stream::cli {

void AddImportCommand(CLI::App& app, CliContext& ctx, int& exit_code) {
  auto* cmd = app.add_subcommand("import", "Import records");
  cmd->require_subcommand(1);
  auto* csv = cmd->add_subcommand("csv", "Import a CSV file of one record kind: every row or none");
  auto kind_name = std::make_shared<std::string>();
  auto file = std::make_shared<std::string>();
  csv->add_option("kind", *kind_name, "patient, or a record kind")->required();
  csv->add_option("file", *file, "CSV file with a header row of field names (- for stdin)")
      ->required();
  csv->callback([&ctx, &exit_code, kind_name, file] {
    auto kind = KindArgument(*kind_name, true);
    if (!kind.ok()) return void(exit_code = ReportError(kind.error()));
    auto text = ReadInput(*file);
    if (!text.ok()) return void(exit_code = ReportError(text.error()));
    auto parsed = interop::CsvToBatch(**kind, *text);
    auto report_all = [&](const std::vector<Error>& errors) {
      for (const auto& e : errors) std::cerr << *file << ": " << e.ToString() << "\n";
      std::cerr << "stream: " << errors.size() << " error(s); nothing was imported\n";
      exit_code = kExitInvalid;
    };
    if (!parsed.ok()) return report_all({parsed.error()});
    if (!parsed->errors.empty()) return report_all(parsed->errors);
    auto registry = ctx.Registry();
    if (!registry.ok()) return void(exit_code = ReportError(registry.error()));
    Progress progress("importing " + std::string((*kind)->name),
                      static_cast<int64_t>(parsed->batch.rows.size()));
    auto report = (*registry)->Import(ctx.Operator(), **kind, parsed->batch);
    if (!report.ok()) return void(exit_code = ReportError(report.error()));
    if (!report->errors.empty()) return report_all(report->errors);
    progress.Finish();
    std::cout << "imported " << report->imported << " " << (*kind)->name << " record(s) from "
              << *file << "\n";
  });
}

}  // namespace stream::cli
