// stream analyze crr: Fine–Gray regression on the subdistribution hazard of one cause
// (R: cmprsk::crr).
#include "cli/analysis_input.h"
#include "cli/analysis_model.h"
#include "cli/analysis_output.h"
#include "cli/analyze_subcommands.h"
#include "stats/fine_gray.h"

namespace stream::cli {
namespace {

struct CrrArgs {
  std::string input;
  std::string time = "time";
  std::string status = "status";
  int cause = 1;
  int censor_code = 0;
  CovariateOptions covariates;
  OutputOptions output;
};

int Run(CrrArgs& args) {
  auto table = AnalysisTable::Read(args.input);
  if (!table.ok()) return AnalysisFailed(table.error());
  auto covariates = CovariateColumns(args.covariates);
  if (!covariates.ok()) return AnalysisFailed(covariates.error());
  const std::vector<std::string>& others = *covariates;
  auto input = ReadCompetingRiskInput(*table, args.time, args.status, others);
  if (!input.ok()) return AnalysisFailed(input.error());
  const auto& complete = input->complete;
  const auto& time = input->time;
  const auto& cause = input->cause;
  auto design = ReadDesign(*table, complete.rows, args.covariates);
  if (!design.ok()) return AnalysisFailed(design.error());
  stats::FineGrayOptions options;
  options.failcode = args.cause;
  options.censor_code = args.censor_code;
  auto fit = stats::FitFineGray(time, cause, design->x, design->column_names, options);
  if (!fit.ok()) return AnalysisFailed(fit.error());
  const auto& r = *fit;
  Renderers renderers;
  renderers.json = [&]() -> Result<std::string> {
    return JsonText(Json{{"type", "crr"},
                         {"input", args.input},
                         {"failcode", args.cause},
                         {"n", r.n},
                         {"n_dropped_missing", complete.dropped},
                         {"coef_names", r.names},
                         {"coef", JsonVector(r.coef)},
                         {"se", JsonVector(r.se)},
                         {"shr", JsonVector(r.shr)},
                         {"shr_lower95", JsonVector(r.shr_lower95)},
                         {"shr_upper95", JsonVector(r.shr_upper95)},
                         {"z", JsonVector(r.z)},
                         {"p", JsonVector(r.p)},
                         {"var", JsonMatrix(r.var)},
                         {"pseudo_loglik", JsonNumber(r.pseudo_loglik)},
                         {"pseudo_loglik_null", JsonNumber(r.pseudo_loglik_null)},
                         {"pseudo_lr_test", JsonTest(r.pseudo_lr_test)},
                         {"score", JsonVector(r.score)},
                         {"iter", r.iter}});
  };
  renderers.csv = [&]() -> Result<std::string> {
    CsvTable table_out({"term", "coef", "se", "shr", "shr_lower95", "shr_upper95", "z", "p"});
    for (size_t i = 0; i < r.names.size(); ++i) {
      const auto k = static_cast<Eigen::Index>(i);
      table_out.AddRow({r.names[i], CsvNumber(r.coef[k]), CsvNumber(r.se[k]), CsvNumber(r.shr[k]),
                        CsvNumber(r.shr_lower95[k]), CsvNumber(r.shr_upper95[k]), CsvNumber(r.z[k]),
                        CsvNumber(r.p[k])});
    }
    return table_out.text();
  };
  return EmitAnalysis(args.output, renderers);
}

}  // namespace

void AddAnalyzeCrr(CLI::App& analyze, int& exit_code) {
  auto args = std::make_shared<CrrArgs>();
  auto* cmd =
      analyze.add_subcommand("crr", "Fine–Gray competing-risks regression (R: cmprsk::crr)");
  cmd->add_option("--input", args->input, "CSV file with a header row (- for stdin)")->required();
  cmd->add_option("--time", args->time, "Follow-up time column")->capture_default_str();
  cmd->add_option("--status", args->status, "Status column: censor code or the cause of the event")
      ->capture_default_str();
  cmd->add_option("--cause", args->cause, "The cause modelled (crr's failcode)")
      ->capture_default_str();
  cmd->add_option("--censor-code", args->censor_code, "Status code of censored rows")
      ->capture_default_str();
  AddCovariateOptions(cmd, args->covariates);
  AddOutputOptions(cmd, args->output, /*svg=*/false);
  cmd->callback([args, &exit_code] { exit_code = Run(*args); });
}

}  // namespace stream::cli
