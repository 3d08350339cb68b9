// stream unblind: emergency unblinding of one subject, with a reason, audited.
#include <iostream>
#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "service/enrolment_service.h"
#include "service/protocol_catalogue.h"

namespace stream::cli {

void AddUnblindCommand(CLI::App& app, CliContext& ctx, int& exit_code) {
  auto* cmd = app.add_subcommand("unblind", "Emergency unblinding of one enrolled subject");
  auto protocol_id = std::make_shared<std::string>();
  auto pseudonym = std::make_shared<std::string>();
  auto reason = std::make_shared<std::string>();
  cmd->add_option("--protocol", *protocol_id, "Protocol id")->required();
  cmd->add_option("--patient", *pseudonym, "Patient pseudonym")->required();
  cmd->add_option("--reason", *reason, "Why the allocation must be revealed")->required();
  cmd->callback([&ctx, &exit_code, protocol_id, pseudonym, reason] {
    auto catalogue = service::ProtocolCatalogue::Load(ctx.protocols_dir);
    if (!catalogue.ok()) return void(exit_code = ReportError(catalogue.error()));
    const protocol::Protocol* protocol = catalogue->Find(*protocol_id);
    if (!protocol)
      return void(exit_code = ReportError(Fail(
                      ErrorCode::kNotFound, "no protocol '" + *protocol_id + "'", "--protocol")));
    auto registry = ctx.Registry();
    if (!registry.ok()) return void(exit_code = ReportError(registry.error()));
    auto patient = (*registry)->GetPatientByPseudonym(ctx.Operator(), *pseudonym);
    if (!patient.ok()) return void(exit_code = ReportError(patient.error()));
    auto store = ctx.OpenedStore();
    // Unblinding needs no randomisation secret: it reads the recorded allocation.
    service::EnrolmentService enrolment(**store, ctx.clock(), std::string());
    auto revealed = enrolment.Unblind(ctx.Operator(), *protocol, patient->id, *reason);
    if (!revealed.ok()) return void(exit_code = ReportError(revealed.error()));
    std::cout << nlohmann::json{{"protocol_id", revealed->protocol_id},
                                {"patient", *pseudonym},
                                {"arm", revealed->arm}}
                     .dump(2)
              << "\n";
  });
}

}  // namespace stream::cli
