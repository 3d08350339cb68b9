// stream enrol: enrols a patient in a protocol and gives the arm (rule or concealed
// randomisation), in one transaction; a replay with the same --key returns the original.
#include <iostream>
#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "service/enrolment_service.h"
#include "service/protocol_catalogue.h"

namespace stream::cli {
namespace {

struct EnrolArgs {
  std::string protocol;
  std::string patient;
  std::string key;
  std::vector<std::string> attest;
};

Result<rules::Attestations> ParseAttestations(const std::vector<std::string>& items) {
  rules::Attestations out;
  for (const auto& item : items) {
    const auto eq = item.find('=');
    const std::string name = item.substr(0, eq);
    const std::string value = eq == std::string::npos ? "yes" : item.substr(eq + 1);
    if (name.empty() || (value != "yes" && value != "no" && value != "true" && value != "false")) {
      return Fail(ErrorCode::kInvalidArgument, "expected name=yes or name=no, got '" + item + "'",
                  "--attest");
    }
    out[name] = value == "yes" || value == "true";
  }
  return out;
}

nlohmann::json EnrolmentToJson(const Enrolment& e) {
  return {{"id", e.id},
          {"protocol_id", e.protocol_id},
          {"protocol_version", e.protocol_version},
          {"patient_id", e.patient_id},
          {"arm", e.arm},
          {"method", e.method},
          {"stratum", e.stratum},
          {"sequence_position", e.sequence_position},
          {"algorithm_version", e.algorithm_version},
          {"enrolled_at", e.enrolled_at.ToString()},
          {"enrolled_by", e.enrolled_by}};
}

}  // namespace

void AddEnrolCommand(CLI::App& app, CliContext& ctx, int& exit_code) {
  auto* cmd = app.add_subcommand("enrol", "Enrol a patient in a protocol and allocate the arm");
  auto args = std::make_shared<EnrolArgs>();
  cmd->add_option("--protocol", args->protocol, "Protocol id")->required();
  cmd->add_option("--patient", args->patient, "Patient pseudonym")->required();
  cmd->add_option("--key", args->key,
                  "Idempotency key: the same key returns the original allocation")
      ->required();
  cmd->add_option("--attest", args->attest,
                  "Site-attested fact, e.g. not_pregnant=yes (repeatable)");
  cmd->callback([&ctx, &exit_code, args] {
    auto attestations = ParseAttestations(args->attest);
    if (!attestations.ok()) return void(exit_code = ReportError(attestations.error()));
    auto catalogue = service::ProtocolCatalogue::Load(ctx.protocols_dir);
    if (!catalogue.ok()) return void(exit_code = ReportError(catalogue.error()));
    const protocol::Protocol* protocol = catalogue->Find(args->protocol);
    if (!protocol) {
      return void(
          exit_code = ReportError(
              Fail(ErrorCode::kNotFound,
                   "no protocol '" + args->protocol + "' in " + ctx.protocols_dir, "--protocol")));
    }
    auto registry = ctx.Registry();
    if (!registry.ok()) return void(exit_code = ReportError(registry.error()));
    auto patient = (*registry)->GetPatientByPseudonym(ctx.Operator(), args->patient);
    if (!patient.ok()) return void(exit_code = ReportError(patient.error()));
    auto secret = ctx.RandomisationKey();
    if (!secret.ok()) return void(exit_code = ReportError(secret.error()));
    auto store = ctx.OpenedStore();
    service::EnrolmentService enrolment(**store, ctx.clock(), *secret);
    auto out = enrolment.Enrol(
        ctx.Operator(), *protocol,
        service::EnrolmentRequest{protocol->id, patient->id, args->key, *attestations});
    if (!out.ok()) return void(exit_code = ReportError(out.error()));
    nlohmann::json j;
    j["status"] = out->status == service::EnrolmentStatus::kEnrolled   ? "enrolled"
                  : out->status == service::EnrolmentStatus::kReplayed ? "replayed"
                                                                       : "refused";
    if (out->status == service::EnrolmentStatus::kRefused) {
      j["reasons"] = out->reasons;
      exit_code = kExitFailure;
    } else {
      j["enrolment"] = EnrolmentToJson(out->enrolment);
    }
    std::cout << j.dump(2) << "\n";
  });
}

}  // namespace stream::cli
