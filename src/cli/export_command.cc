// stream export csv <kind>: every record of a kind, with the patient's pseudonym.
// stream export derived: every patient's derived disease state and genetic risk on a date.
#include <iostream>

#include "cli/commands.h"
#include "cli/kind_argument.h"
#include "interop/codebook.h"
#include "interop/csv.h"
#include "interop/derived_csv.h"
#include "service/export_service.h"

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
    // Through the export service, as the API: one rule for what an export withholds.
    auto store = ctx.OpenedStore();
    if (!store.ok()) return void(exit_code = ReportError(store.error()));
    // The operator (an administrator) exports under registry pseudonyms, never per-study
    // ones, so the study key is not needed: a registry whose identity key is kept
    // elsewhere still exports.
    const service::StudyPseudonyms unused_study_keys(std::string(32, '\0'));
    service::ExportService exports(**store, unused_study_keys);
    auto table = exports.Export(ctx.Operator(), **kind, "");
    if (!table.ok()) return void(exit_code = ReportError(table.error()));
    if (table->withheld > 0) {
      std::cerr << "stream: " << table->withheld
                << " records dated from a withdrawal of registry consent on are withheld\n";
    }
    const bool is_patient = *kind == &PatientKind();
    if (Status s = WriteOutput(
            *output,
            interop::RecordsToCsv(**kind, table->records,
                                  is_patient ? std::vector<std::string>() : table->patients,
                                  table->withheld_fields));
        !s.ok()) {
      exit_code = ReportError(s.error());
    }
  });

  auto* derived = cmd->add_subcommand(
      "derived",
      "Export every patient's derived disease state, MRD, transplant, vital status and ELN "
      "2022 genetic risk on a date as CSV (docs/clinical-rules.md)");
  auto as_of = std::make_shared<std::string>();
  auto derived_output = std::make_shared<std::string>();
  derived->add_option("--as-of", *as_of, "YYYY-MM-DD (default today)");
  derived->add_option("--output,-o", *derived_output, "File to write (default: standard output)");
  derived->callback([&ctx, &exit_code, as_of, derived_output] {
    Date date = ctx.clock().Now().date();
    if (!as_of->empty()) {
      const auto parsed = Date::Parse(*as_of);
      if (!parsed)
        return void(exit_code = ReportError(Fail(ErrorCode::kInvalidArgument,
                                                 "expected a date YYYY-MM-DD", "--as-of")));
      date = *parsed;
    }
    auto store = ctx.OpenedStore();
    if (!store.ok()) return void(exit_code = ReportError(store.error()));
    auto key = ctx.IdentityKey();
    if (!key.ok()) return void(exit_code = ReportError(key.error()));
    const service::StudyPseudonyms pseudonyms(*key);
    service::ExportService exports(**store, pseudonyms);
    auto rows = exports.ExportDerived(ctx.Operator(), "", date);
    if (!rows.ok()) return void(exit_code = ReportError(rows.error()));
    if (Status s = WriteOutput(*derived_output, interop::DerivedToCsv(*rows, date)); !s.ok())
      exit_code = ReportError(s.error());
  });

  auto* codebook = cmd->add_subcommand(
      "codebook", "Write the codebook of the exports: every field with its type, unit, codes");
  auto codebook_output = std::make_shared<std::string>();
  codebook->add_option("--output,-o", *codebook_output, "File to write (default: standard output)");
  codebook->callback([&exit_code, codebook_output] {
    if (Status s = WriteOutput(*codebook_output, interop::CodebookCsv()); !s.ok())
      exit_code = ReportError(s.error());
  });

  auto* attestations =
      cmd->add_subcommand("attestations",
                          "Export every site attestation (who, when, protocol version, criterion) "
                          "as CSV");
  auto attestations_output = std::make_shared<std::string>();
  attestations->add_option("--output,-o", *attestations_output,
                           "File to write (default: standard output)");
  attestations->callback([&ctx, &exit_code, attestations_output] {
    auto store = ctx.OpenedStore();
    if (!store.ok()) return void(exit_code = ReportError(store.error()));
    auto key = ctx.IdentityKey();
    if (!key.ok()) return void(exit_code = ReportError(key.error()));
    const service::StudyPseudonyms pseudonyms(*key);
    service::ExportService exports(**store, pseudonyms);
    auto rows = exports.ExportAttestations(ctx.Operator(), "");
    if (!rows.ok()) return void(exit_code = ReportError(rows.error()));
    if (Status s = WriteOutput(*attestations_output, interop::AttestationsToCsv(*rows)); !s.ok())
      exit_code = ReportError(s.error());
  });
}

}  // namespace stream::cli
