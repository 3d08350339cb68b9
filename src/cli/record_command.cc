// stream record add|show|list <kind>: clinical records of every kind, JSON in and out.
#include <iostream>

#include "cli/commands.h"
#include "cli/json_input.h"
#include "cli/kind_argument.h"
#include "interop/record_json.h"

namespace stream::cli {
namespace {

struct RecordArgs {
  std::string kind;
  std::string json;
  int64_t id = 0;
  std::string patient;
  int64_t limit = 1000;
  int64_t after = 0;
};

std::string KindNames() {
  std::string names;
  for (const auto& k : RecordKinds()) names += (names.empty() ? "" : ", ") + std::string(k.name);
  return names;
}

Result<const KindSpec*> Kind(const std::string& name) { return KindArgument(name, false); }

Result<int64_t> PatientId(service::RegistryService& registry, const service::Actor& actor,
                          const nlohmann::json& json) {
  if (json.contains("patient_id")) {
    if (!json["patient_id"].is_number_integer())
      return Fail(ErrorCode::kInvalidArgument, "expected a whole number", "/patient_id");
    return json["patient_id"].get<int64_t>();
  }
  if (json.contains("patient")) {
    if (!json["patient"].is_string())
      return Fail(ErrorCode::kInvalidArgument, "expected the patient's pseudonym", "/patient");
    STREAM_ASSIGN_OR_RETURN(
        Record p, registry.GetPatientByPseudonym(actor, json["patient"].get<std::string>()));
    return p.id;
  }
  return Fail(ErrorCode::kInvalidArgument,
              "name the patient by \"patient\" (pseudonym) or \"patient_id\"", "/patient");
}

}  // namespace

void AddRecordCommand(CLI::App& app, CliContext& ctx, int& exit_code) {
  auto* cmd =
      app.add_subcommand("record", "Add, show and list clinical records (" + KindNames() + ")");
  cmd->require_subcommand(1);
  auto args = std::make_shared<RecordArgs>();

  auto* add = cmd->add_subcommand("add", "Add a record from JSON (inline, a file, or - for stdin)");
  add->add_option("kind", args->kind, "Record kind")->required();
  add->add_option("json", args->json, "{\"patient\": pseudonym, <fields>…}")->required();
  add->callback([&ctx, &exit_code, args] {
    auto kind = Kind(args->kind);
    if (!kind.ok()) return void(exit_code = ReportError(kind.error()));
    auto json = ReadJsonArgument(args->json);
    if (!json.ok()) return void(exit_code = ReportError(json.error()));
    auto values = interop::ValuesFromJson(**kind, *json, {"patient", "patient_id"});
    if (!values.ok()) return void(exit_code = ReportError(values.error()));
    auto registry = ctx.Registry();
    if (!registry.ok()) return void(exit_code = ReportError(registry.error()));
    auto patient_id = PatientId(**registry, ctx.Operator(), *json);
    if (!patient_id.ok()) return void(exit_code = ReportError(patient_id.error()));
    auto record = (*registry)->AddRecord(ctx.Operator(), **kind, *patient_id, std::move(*values));
    if (!record.ok()) return void(exit_code = ReportError(record.error()));
    std::cout << interop::RecordToJson(**kind, *record).dump(2) << "\n";
  });

  auto* show = cmd->add_subcommand("show", "Show one record");
  show->add_option("kind", args->kind, "Record kind")->required();
  show->add_option("id", args->id, "Record id")->required();
  show->callback([&ctx, &exit_code, args] {
    auto kind = Kind(args->kind);
    if (!kind.ok()) return void(exit_code = ReportError(kind.error()));
    auto registry = ctx.Registry();
    if (!registry.ok()) return void(exit_code = ReportError(registry.error()));
    auto record = (*registry)->GetRecord(ctx.Operator(), **kind, args->id);
    if (!record.ok()) return void(exit_code = ReportError(record.error()));
    std::cout << interop::RecordToJson(**kind, *record).dump(2) << "\n";
  });

  auto* list = cmd->add_subcommand("list", "List records of a kind");
  list->add_option("kind", args->kind, "Record kind")->required();
  list->add_option("--patient", args->patient, "Only this patient's (pseudonym)");
  list->add_option("--limit", args->limit, "Page size")->check(CLI::Range(1, 100000));
  list->add_option("--after", args->after, "Continue after this id");
  list->callback([&ctx, &exit_code, args] {
    auto kind = Kind(args->kind);
    if (!kind.ok()) return void(exit_code = ReportError(kind.error()));
    auto registry = ctx.Registry();
    if (!registry.ok()) return void(exit_code = ReportError(registry.error()));
    RecordFilter filter;
    filter.limit = args->limit;
    filter.after_id = args->after;
    if (!args->patient.empty()) {
      auto p = (*registry)->GetPatientByPseudonym(ctx.Operator(), args->patient);
      if (!p.ok()) return void(exit_code = ReportError(p.error()));
      filter.patient_id = p->id;
    }
    auto records = (*registry)->ListRecords(ctx.Operator(), **kind, filter);
    if (!records.ok()) return void(exit_code = ReportError(records.error()));
    nlohmann::json out = nlohmann::json::array();
    for (const auto& r : *records) out.push_back(interop::RecordToJson(**kind, r));
    std::cout << out.dump(2) << "\n";
  });
}

}  // namespace stream::cli
