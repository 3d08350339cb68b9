// stream enrol: enrols a patient in a protocol and gives the arm (rule or concealed
// randomisation), in one transaction; a replay with the same --key returns the original.
// The gates of issue #23 apply (vital status, consent, co-enrolment, site activation, the
// version approved at the site). With --off-study DATE --reason R it ends the patient's
// enrolment instead.
#include <iostream>
#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "cli/running_catalogue.h"
#include "service/enrolment_service.h"
#include "service/protocol_catalogue.h"

namespace stream::cli {
namespace {

struct EnrolArgs {
  std::string protocol;
  std::string patient;
  std::string key;
  std::vector<std::string> attest;
  std::string off_study;
  std::string reason;
  std::string note;
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

void EndEnrolment(CliContext& ctx, service::EnrolmentService& enrolment,
                  const protocol::Protocol& protocol, int64_t patient_id, const EnrolArgs& args,
                  int& exit_code) {
  auto date = Date::Parse(args.off_study);
  if (!date) {
    exit_code =
        ReportError(Fail(ErrorCode::kInvalidArgument, "expected YYYY-MM-DD", "--off-study"));
    return;
  }
  auto ended =
      enrolment.EndEnrolment(ctx.Operator(), protocol, {patient_id, *date, args.reason, args.note});
  if (!ended.ok()) {
    exit_code = ReportError(ended.error());
    return;
  }
  nlohmann::json j = EnrolmentToJson(*ended);
  j["off_study_date"] = ended->off_study_date->ToString();
  j["off_study_reason"] = ended->off_study_reason;
  std::cout << nlohmann::json{{"status", "ended"}, {"enrolment", j}}.dump(2) << "\n";
}

}  // namespace

void AddEnrolCommand(CLI::App& app, CliContext& ctx, int& exit_code) {
  auto* cmd = app.add_subcommand("enrol", "Enrol a patient in a protocol and allocate the arm");
  auto args = std::make_shared<EnrolArgs>();
  cmd->add_option("--protocol", args->protocol, "Protocol id")->required();
  cmd->add_option("--patient", args->patient, "Patient pseudonym")->required();
  cmd->add_option("--key", args->key,
                  "Idempotency key: the same key returns the original allocation (required "
                  "to enrol)");
  cmd->add_option("--off-study", args->off_study,
                  "End the enrolment instead: the off-study date, YYYY-MM-DD");
  cmd->add_option("--reason", args->reason,
                  "With --off-study: completed, toxicity, progression, withdrawal, death or "
                  "investigator_decision");
  cmd->add_option("--note", args->note, "With --off-study: a note");
  cmd->add_option("--attest", args->attest,
                  "Site-attested fact, e.g. not_pregnant=yes (repeatable)");
  cmd->callback([&ctx, &exit_code, args] {
    auto attestations = ParseAttestations(args->attest);
    if (!attestations.ok()) return void(exit_code = ReportError(attestations.error()));
    auto protocols = RunningProtocols(ctx);
    if (!protocols.ok()) return void(exit_code = ReportError(protocols.error()));
    auto catalogue = (*protocols)->Current();
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
    if (!args->off_study.empty())
      return EndEnrolment(ctx, enrolment, *protocol, patient->id, *args, exit_code);
    if (args->key.empty()) {
      return void(exit_code = ReportError(
                      Fail(ErrorCode::kInvalidArgument, "is required to enrol", "--key")));
    }
    service::EnrolmentRequest request{protocol->id, patient->id, args->key, *attestations, {}};
    request.find_version = [&](const std::string& version) {
      return catalogue->FindVersion(protocol->id, version);
    };
    auto out = enrolment.Enrol(ctx.Operator(), *protocol, request);
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
