// stream patient add|show|list: patients, with JSON in and out.
#include <iostream>

#include "cli/commands.h"
#include "cli/json_input.h"
#include "interop/disease_course_json.h"
#include "interop/record_json.h"

namespace stream::cli {
namespace {

struct PatientArgs {
  std::string json;
  std::string which;
  std::string site;
  int64_t limit = 100;
  int64_t after = 0;
  bool identity = false;
  std::string as_of;
};

Result<Record> FindPatient(service::RegistryService& registry, const service::Actor& actor,
                           const std::string& which) {
  if (!which.empty() && std::all_of(which.begin(), which.end(), ::isdigit)) {
    return registry.GetPatient(actor, std::stoll(which));
  }
  return registry.GetPatientByPseudonym(actor, which);
}

}  // namespace

void AddPatientCommand(CLI::App& app, CliContext& ctx, int& exit_code) {
  auto* cmd = app.add_subcommand("patient", "Register, show and list patients");
  cmd->require_subcommand(1);
  auto args = std::make_shared<PatientArgs>();

  auto* add =
      cmd->add_subcommand("add", "Register a patient from JSON (inline, a file, or - for stdin)");
  add->add_option(
         "json", args->json,
         "{\"pseudonym\",\"site\",\"sex\",\"birth_year\",\"birth_month\",\"registered_on\", "
         "optional \"identity\":{\"name\",\"date_of_birth\",\"hospital_number\"}}")
      ->required();
  add->callback([&ctx, &exit_code, args] {
    auto json = ReadJsonArgument(args->json);
    if (!json.ok()) return void(exit_code = ReportError(json.error()));
    auto values = interop::ValuesFromJson(PatientKind(), *json, {"identity"});
    if (!values.ok()) return void(exit_code = ReportError(values.error()));
    std::optional<service::Identity> identity;
    if (json->contains("identity")) {
      const auto& id = (*json)["identity"];
      if (!id.is_object())
        return void(exit_code = ReportError(
                        Fail(ErrorCode::kInvalidArgument, "expected an object", "/identity")));
      identity = service::Identity{id.value("name", ""), id.value("date_of_birth", ""),
                                   id.value("hospital_number", "")};
      if (!identity->date_of_birth.empty() && !Date::Parse(identity->date_of_birth)) {
        return void(exit_code =
                        ReportError(Fail(ErrorCode::kInvalidArgument, "expected a date YYYY-MM-DD",
                                         "/identity/date_of_birth")));
      }
    }
    auto registry = ctx.Registry();
    if (!registry.ok()) return void(exit_code = ReportError(registry.error()));
    auto patient = (*registry)->AddPatient(ctx.Operator(), std::move(*values), identity);
    if (!patient.ok()) return void(exit_code = ReportError(patient.error()));
    std::cout << interop::RecordToJson(PatientKind(), *patient).dump(2) << "\n";
  });

  auto* show = cmd->add_subcommand("show", "Show a patient by id or pseudonym");
  show->add_option("patient", args->which, "Id or pseudonym")->required();
  show->add_flag("--identity", args->identity, "Also open the sealed direct identifiers");
  show->add_option("--as-of", args->as_of,
                   "The disease state on this date, YYYY-MM-DD (default today)");
  show->callback([&ctx, &exit_code, args] {
    auto registry = ctx.Registry();
    if (!registry.ok()) return void(exit_code = ReportError(registry.error()));
    auto patient = FindPatient(**registry, ctx.Operator(), args->which);
    if (!patient.ok()) return void(exit_code = ReportError(patient.error()));
    auto out = interop::RecordToJson(PatientKind(), *patient);
    Date as_of = ctx.clock().Now().date();
    if (!args->as_of.empty()) {
      const auto parsed = Date::Parse(args->as_of);
      if (!parsed)
        return void(exit_code = ReportError(Fail(ErrorCode::kInvalidArgument,
                                                 "expected a date YYYY-MM-DD", "--as-of")));
      as_of = *parsed;
    }
    auto history = (*registry)->GetHistory(ctx.Operator(), patient->id);
    if (!history.ok()) return void(exit_code = ReportError(history.error()));
    out["disease_course"] = interop::DiseaseCourseJson(*history, as_of);
    if (args->identity) {
      auto identity = (*registry)->GetIdentity(ctx.Operator(), patient->id);
      if (!identity.ok()) return void(exit_code = ReportError(identity.error()));
      out["identity"] = {{"name", identity->name},
                         {"date_of_birth", identity->date_of_birth},
                         {"hospital_number", identity->hospital_number}};
    }
    std::cout << out.dump(2) << "\n";
  });

  auto* list = cmd->add_subcommand("list", "List patients");
  list->add_option("--site", args->site, "Only this site's patients");
  list->add_option("--limit", args->limit, "Page size")->check(CLI::Range(1, 100000));
  list->add_option("--after", args->after,
                   "Continue after this id (the last of the previous page)");
  list->callback([&ctx, &exit_code, args] {
    auto registry = ctx.Registry();
    if (!registry.ok()) return void(exit_code = ReportError(registry.error()));
    RecordFilter filter;
    if (!args->site.empty()) filter.site = args->site;
    filter.limit = args->limit;
    filter.after_id = args->after;
    auto patients = (*registry)->ListPatients(ctx.Operator(), filter);
    if (!patients.ok()) return void(exit_code = ReportError(patients.error()));
    nlohmann::json out = nlohmann::json::array();
    for (const auto& p : *patients) out.push_back(interop::RecordToJson(PatientKind(), p));
    std::cout << out.dump(2) << "\n";
  });
}

}  // namespace stream::cli
