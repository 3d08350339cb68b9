// stream randomisation list --regenerate: reproduces a stratum's concealed list from the
// secret seed, for the randomisation administrator and auditors, and checks it against
// the hash recorded when the list was activated.
#include <iostream>
#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "service/enrolment_service.h"
#include "service/protocol_catalogue.h"

namespace stream::cli {
namespace {

struct ListArgs {
  std::string protocol;
  std::string stratum;
  int length = 20;
  bool regenerate = false;
};

}  // namespace

void AddRandomisationCommand(CLI::App& app, CliContext& ctx, int& exit_code) {
  auto* cmd =
      app.add_subcommand("randomisation", "Randomisation lists (randomisation administrator)");
  cmd->require_subcommand(1);
  auto args = std::make_shared<ListArgs>();
  auto* list = cmd->add_subcommand("list", "Show a stratum's permuted-block list");
  list->add_option("--protocol", args->protocol, "Protocol id")->required();
  list->add_option("--stratum", args->stratum,
                   "Stratum, as enrolments record it (e.g. age_group=<60)");
  list->add_option("--length", args->length, "Entries to show")->check(CLI::Range(1, 1000000));
  list->add_flag("--regenerate", args->regenerate, "Regenerate the list from the secret seed")
      ->required();
  list->callback([&ctx, &exit_code, args] {
    auto catalogue = service::ProtocolCatalogue::Load(ctx.protocols_dir);
    if (!catalogue.ok()) return void(exit_code = ReportError(catalogue.error()));
    const protocol::Protocol* protocol = catalogue->Find(args->protocol);
    if (!protocol) {
      return void(exit_code = ReportError(Fail(
                      ErrorCode::kNotFound, "no protocol '" + args->protocol + "'", "--protocol")));
    }
    auto secret = ctx.RandomisationKey();
    if (!secret.ok()) return void(exit_code = ReportError(secret.error()));
    auto store = ctx.OpenedStore();
    if (!store.ok()) return void(exit_code = ReportError(store.error()));
    service::EnrolmentService enrolment(**store, ctx.clock(), *secret);
    service::Actor admin = ctx.Operator();
    admin.role = "randomisation_admin";
    auto regenerated = enrolment.RegenerateList(admin, *protocol, args->stratum, args->length);
    if (!regenerated.ok()) return void(exit_code = ReportError(regenerated.error()));
    nlohmann::json entries = nlohmann::json::array();
    for (const auto& e : regenerated->entries) {
      entries.push_back({{"position", e.position},
                         {"block", e.block},
                         {"block_size", e.block_size},
                         {"arm", e.arm}});
    }
    const bool activated = !regenerated->recorded_hash.empty();
    const bool matches = regenerated->hash == regenerated->recorded_hash;
    std::cout << nlohmann::json{{"protocol_id", protocol->id},
                                {"stratum", args->stratum},
                                {"algorithm", service::kBlocksAlgorithm},
                                {"sha256", regenerated->hash},
                                {"recorded_sha256", activated
                                                        ? nlohmann::json(regenerated->recorded_hash)
                                                        : nlohmann::json()},
                                {"matches_recorded",
                                 activated ? nlohmann::json(matches) : nlohmann::json()},
                                {"entries", entries}}
                     .dump(2)
              << "\n";
    if (activated && !matches) exit_code = kExitFailure;
  });
}

}  // namespace stream::cli
