// stream analyze cox: Cox proportional-hazards regression (R: coxph), with the
// Schoenfeld-residual test of proportional hazards (R: cox.zph).
#include "cli/analysis_input.h"
#include "cli/analysis_model.h"
#include "cli/analysis_output.h"
#include "cli/analyze_subcommands.h"
#include "stats/cox_model.h"
#include "stats/cox_zph.h"

namespace stream::cli {
namespace {

struct CoxArgs {
  std::string input;
  std::string time = "time";
  std::string event = "status";
  std::string strata;
  CovariateOptions covariates;
  std::string ties = "efron";
  std::string zph = "km";
  OutputOptions output;
};

struct CoxInput {
  stats::CoxData data;
  stats::Design design;
  int64_t dropped = 0;
};

Result<CoxInput> ReadCoxInput(const AnalysisTable& table, const CoxArgs& args) {
  STREAM_ASSIGN_OR_RETURN(auto covariates, CovariateColumns(args.covariates));
  std::vector<std::string> used = {args.time, args.event};
  used.insert(used.end(), covariates.begin(), covariates.end());
  if (!args.strata.empty()) used.push_back(args.strata);
  STREAM_ASSIGN_OR_RETURN(auto complete, table.Complete(used));
  if (complete.rows.empty())
    return Fail(ErrorCode::kInvalidArgument, "no complete rows left", table.source());
  CoxInput in;
  in.dropped = complete.dropped;
  STREAM_ASSIGN_OR_RETURN(in.data.time, table.Numbers(args.time, complete.rows));
  STREAM_RETURN_IF_ERROR(CheckTimes(table, args.time, complete.rows, in.data.time));
  STREAM_ASSIGN_OR_RETURN(in.data.status, table.Binary(args.event, complete.rows));
  STREAM_ASSIGN_OR_RETURN(in.design, ReadDesign(table, complete.rows, args.covariates));
  in.data.x = in.design.x;
  in.data.names = in.design.column_names;
  if (!args.strata.empty()) {
    STREAM_ASSIGN_OR_RETURN(auto strata, table.Factorize(args.strata, complete.rows));
    in.data.stratum = strata.codes;
  }
  return in;
}

std::string RenderJson(const CoxArgs& args, const CoxInput& in, const stats::CoxResult& r,
                       const stats::CoxZphResult& zph) {
  Json out = {
      {"type", "coxph"},
      {"input", args.input},
      {"ties", args.ties},
      {"n", r.n},
      {"nevent", r.nevent},
      {"n_dropped_missing", in.dropped},
      {"coef_names", r.names},
      {"coef", JsonVector(r.coef)},
      {"se", JsonVector(r.se)},
      {"hr", JsonVector(r.hr)},
      {"hr_lower95", JsonVector(r.hr_lower95)},
      {"hr_upper95", JsonVector(r.hr_upper95)},
      {"z", JsonVector(r.z)},
      {"p", JsonVector(r.p)},
      {"vcov", JsonMatrix(r.vcov)},
      {"means", JsonVector(r.means)},
      {"loglik_null", JsonNumber(r.loglik_null)},
      {"loglik_final", JsonNumber(r.loglik_final)},
      {"lr_test", JsonTest(r.lr_test)},
      {"wald_test", JsonTest(r.wald_test)},
      {"score_test", JsonTest(r.score_test)},
      {"iter", r.iter},
      {"concordance", {{"c", JsonNumber(r.concordance.c)}, {"se", JsonNumber(r.concordance.se)}}},
      {"cox_zph",
       {{"transform", args.zph},
        {"terms", zph.terms},
        {"chisq", JsonNumbers(zph.chisq)},
        {"df", zph.df},
        {"p", JsonNumbers(zph.p)}}}};
  if (!args.strata.empty()) out["strata"] = args.strata;
  return JsonText(out);
}

std::string RenderCsv(const stats::CoxResult& r) {
  CsvTable table({"term", "coef", "se", "hr", "hr_lower95", "hr_upper95", "z", "p"});
  for (size_t i = 0; i < r.names.size(); ++i) {
    const auto k = static_cast<Eigen::Index>(i);
    table.AddRow({r.names[i], CsvNumber(r.coef[k]), CsvNumber(r.se[k]), CsvNumber(r.hr[k]),
                  CsvNumber(r.hr_lower95[k]), CsvNumber(r.hr_upper95[k]), CsvNumber(r.z[k]),
                  CsvNumber(r.p[k])});
  }
  return table.text();
}

int Run(CoxArgs& args) {
  auto table = AnalysisTable::Read(args.input);
  if (!table.ok()) return AnalysisFailed(table.error());
  auto in = ReadCoxInput(*table, args);
  if (!in.ok()) return AnalysisFailed(in.error());
  stats::CoxOptions options;
  options.ties = args.ties == "breslow" ? stats::CoxTies::kBreslow
                 : args.ties == "exact" ? stats::CoxTies::kExact
                                        : stats::CoxTies::kEfron;
  auto fit = stats::FitCox(in->data, options);
  if (!fit.ok()) return AnalysisFailed(fit.error());
  const auto transform = args.zph == "identity" ? stats::ZphTransform::kIdentity
                         : args.zph == "rank"   ? stats::ZphTransform::kRank
                                                : stats::ZphTransform::kKm;
  auto zph =
      stats::CoxZph(in->data, *fit, in->design.column_term, in->design.term_names, transform);
  if (!zph.ok()) return AnalysisFailed(zph.error());
  Renderers renderers;
  renderers.json = [&]() -> Result<std::string> { return RenderJson(args, *in, *fit, *zph); };
  renderers.csv = [&]() -> Result<std::string> { return RenderCsv(*fit); };
  return EmitAnalysis(args.output, renderers);
}

}  // namespace

void AddAnalyzeCox(CLI::App& analyze, int& exit_code) {
  auto args = std::make_shared<CoxArgs>();
  auto* cmd =
      analyze.add_subcommand("cox", "Cox proportional-hazards regression (R: coxph, cox.zph)");
  cmd->add_option("--input", args->input, "CSV file with a header row (- for stdin)")->required();
  cmd->add_option("--time", args->time, "Follow-up time column")->capture_default_str();
  cmd->add_option("--event", args->event, "Event column (1 event, 0 censored)")
      ->capture_default_str();
  cmd->add_option("--strata", args->strata, "Stratify the baseline hazard by this column");
  AddCovariateOptions(cmd, args->covariates);
  cmd->add_option("--ties", args->ties, "efron, breslow or exact")
      ->check(CLI::IsMember({"efron", "breslow", "exact"}))
      ->capture_default_str();
  cmd->add_option("--zph", args->zph, "cox.zph time transform: km, identity or rank")
      ->check(CLI::IsMember({"km", "identity", "rank"}))
      ->capture_default_str();
  AddOutputOptions(cmd, args->output, /*svg=*/false);
  cmd->callback([args, &exit_code] { exit_code = Run(*args); });
}

}  // namespace stream::cli
