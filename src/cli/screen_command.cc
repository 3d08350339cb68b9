// stream screen --patient PSEUDONYM | --protocol ID [--verdict eligible|unknown|all]
//               [--attest NAME=true|false ...] [--format json|table]
// (the protocols are those of the global --protocols folder)
// One patient against every protocol, or one protocol against the whole registry.
#include <iostream>
#include <nlohmann/json.hpp>
#include <optional>

#include "cli/commands.h"
#include "cli/running_catalogue.h"
#include "interop/screening_json.h"
#include "service/enrolment_service.h"
#include "service/protocol_catalogue.h"
#include "service/screening_service.h"

namespace stream::cli {
namespace {

struct ScreenArgs {
  std::string patient;
  std::string protocol;
  std::string verdict = "eligible";
  std::string format = "table";
  std::vector<std::string> attest;
  std::string as_of;
};

std::string Join(const std::vector<std::string>& items, const char* separator) {
  std::string out;
  for (const auto& s : items) out += (out.empty() ? "" : separator) + s;
  return out;
}

std::string AssignmentText(const service::ProtocolScreening& s) {
  switch (s.assignment) {
    case service::AssignmentState::kArm: {
      std::string out = "arm " + s.arms.front();
      if (s.arm_status.front() != protocol::ArmStatus::kOpen) {
        const bool noted = !s.arm_notes.empty() && !s.arm_notes.front().empty();
        out += " (" + (noted ? s.arm_notes.front() : std::string(ToString(s.arm_status.front()))) +
               ")";
      }
      return out;
    }
    case service::AssignmentState::kRandomise: {
      std::string out = "randomise among " + Join(s.arms, ", ");
      std::vector<std::string> levels;
      for (const auto& f : s.factors) levels.push_back(f.factor + "=" + f.level);
      if (!levels.empty()) out += " (" + Join(levels, ", ") + ")";
      return out;
    }
    case service::AssignmentState::kWaiting:
      return "waits for: " + Join(s.assignment_missing, "; ");
    case service::AssignmentState::kNone:
      return s.eligible == rules::Verdict::kNotMet ? "-" : "no arm";
  }
  return "-";
}

void PrintPatientTable(const service::PatientScreening& p) {
  std::cout << "patient " << p.pseudonym << " (site " << p.site << "), screened on "
            << p.on.ToString() << "\n";
  for (const auto& s : p.protocols) {
    std::cout << "\n"
              << s.protocol_id << ": " << interop::VerdictText(s.eligible) << " -> "
              << AssignmentText(s) << (s.version.empty() ? "" : "  [version " + s.version + "]")
              << "\n";
    for (const auto& r : s.refusals) std::cout << "  cannot enrol now: " << r << "\n";
    for (const auto& c : s.criteria) {
      const char* mark = c.qualifies == rules::Verdict::kMet      ? "[ok]  "
                         : c.qualifies == rules::Verdict::kNotMet ? "[no]  "
                                                                  : "[??]  ";
      std::cout << "  " << mark
                << (c.kind == protocol::CriterionKind::kExclusion ? "excl " : "incl ") << c.id
                << ": " << c.wording << "\n";
      if (!c.missing.empty()) std::cout << "          missing: " << Join(c.missing, "; ") << "\n";
    }
  }
}

Result<rules::Attestations> ParseAttestations(const std::vector<std::string>& items) {
  rules::Attestations out;
  for (const auto& item : items) {
    auto eq = item.find('=');
    std::string value = eq == std::string::npos ? "" : item.substr(eq + 1);
    if (eq == 0 || (value != "true" && value != "false")) {
      return Fail(ErrorCode::kInvalidArgument, "expected NAME=true or NAME=false", item);
    }
    out[item.substr(0, eq)] = value == "true";
  }
  return out;
}

}  // namespace

void AddScreenCommand(CLI::App& app, CliContext& ctx, int& exit_code) {
  auto args = std::make_shared<ScreenArgs>();
  auto* cmd = app.add_subcommand(
      "screen", "Screen a patient against every protocol, or a protocol against the registry");
  auto* patient = cmd->add_option("--patient", args->patient, "The patient's pseudonym");
  auto* protocol = cmd->add_option("--protocol", args->protocol, "A protocol id");
  patient->excludes(protocol);
  cmd->add_option("--verdict", args->verdict,
                  "With --protocol: which patients to list (eligible, unknown or all)")
      ->check(CLI::IsMember({"eligible", "unknown", "all"}));
  cmd->add_option("--attest", args->attest,
                  "With --patient: a site attestation NAME=true|false (repeatable)");
  cmd->add_option("--format", args->format, "json or table")
      ->check(CLI::IsMember({"json", "table"}));
  cmd->add_option("--as-of", args->as_of,
                  "Screen on this date, YYYY-MM-DD (default today): records dated after it are "
                  "not read");
  cmd->callback([&ctx, &exit_code, args] {
    std::optional<Date> as_of;
    if (!args->as_of.empty()) {
      as_of = Date::Parse(args->as_of);
      if (!as_of)
        return void(exit_code = ReportError(Fail(ErrorCode::kInvalidArgument,
                                                 "expected a date YYYY-MM-DD", "--as-of")));
    }
    if (args->patient.empty() == args->protocol.empty()) {
      return void(exit_code = ReportError(Fail(ErrorCode::kInvalidArgument,
                                               "give --patient PSEUDONYM or --protocol ID")));
    }
    auto attestations = ParseAttestations(args->attest);
    if (!attestations.ok()) return void(exit_code = ReportError(attestations.error()));
    auto registry = ctx.Registry();
    if (!registry.ok()) return void(exit_code = ReportError(registry.error()));
    auto protocols = RunningProtocols(ctx);
    if (!protocols.ok()) return void(exit_code = ReportError(protocols.error()));
    auto catalogue = (*protocols)->Current();
    // Screening reads the gates' context (enrolments, site activations, attestations);
    // it allocates nothing, so the randomisation key is not needed.
    service::EnrolmentService enrolments(**ctx.OpenedStore(), ctx.clock(), "");
    service::ScreeningService screening(**registry, *catalogue, ctx.clock(), &enrolments);
    bool json = args->format == "json";

    if (!args->patient.empty()) {
      auto record = (*registry)->GetPatientByPseudonym(ctx.Operator(), args->patient);
      if (!record.ok()) return void(exit_code = ReportError(record.error()));
      auto result = screening.ScreenPatient(ctx.Operator(), record->id, *attestations, as_of);
      if (!result.ok()) return void(exit_code = ReportError(result.error()));
      if (!json) return PrintPatientTable(*result);
      nlohmann::json out = {
          {"patient", result->pseudonym}, {"site", result->site}, {"on", result->on.ToString()}};
      out["protocols"] = nlohmann::json::array();
      for (const auto& s : result->protocols)
        out["protocols"].push_back(interop::ScreeningToJson(s));
      std::cout << out.dump(2) << "\n";
      return;
    }

    service::VerdictFilter filter = args->verdict == "eligible"  ? service::VerdictFilter::kEligible
                                    : args->verdict == "unknown" ? service::VerdictFilter::kUnknown
                                                                 : service::VerdictFilter::kAll;
    auto result = screening.ScreenRegistry(ctx.Operator(), args->protocol, filter, 500, as_of);
    if (!result.ok()) return void(exit_code = ReportError(result.error()));
    if (json) {
      nlohmann::json out = nlohmann::json::array();
      for (const auto& p : *result) {
        nlohmann::json row = interop::ScreeningToJson(p.protocols.front());
        row["patient"] = p.pseudonym;
        row["site"] = p.site;
        row["on"] = p.on.ToString();
        out.push_back(row);
      }
      std::cout << out.dump(2) << "\n";
      return;
    }
    std::cout << args->protocol << ": " << result->size() << " patient(s) (" << args->verdict
              << "), screened on " << (as_of ? *as_of : ctx.clock().Today()).ToString() << "\n";
    for (const auto& p : *result) {
      const auto& s = p.protocols.front();
      std::vector<std::string> open;
      for (const auto& c : s.criteria) {
        if (c.qualifies == rules::Verdict::kUnknown) open.push_back(c.id);
      }
      std::cout << "  " << p.pseudonym << "  " << p.site << "  " << interop::VerdictText(s.eligible)
                << "  " << AssignmentText(s);
      if (!open.empty()) std::cout << "  [unknown: " << Join(open, ", ") << "]";
      if (!s.refusals.empty())
        std::cout << "  [cannot enrol now: " << Join(s.refusals, "; ") << "]";
      std::cout << "\n";
    }
  });
}

}  // namespace stream::cli
