// stream analyze rate: a response (or any binary) rate with exact Clopper–Pearson and
// Wilson score intervals and tests (R's binom.test and prop.test), from counts or from
// a 0/1 column of a CSV file.
#include <map>

#include "cli/analysis_input.h"
#include "cli/analysis_output.h"
#include "cli/analyze_subcommands.h"
#include "stats/binomial_interval.h"

namespace stream::cli {
namespace {

struct RateArgs {
  int64_t events = -1;
  int64_t n = -1;
  std::string input;
  std::string event = "response";
  double conf_level = 0.95;
  double p0 = 0.5;
  std::string alternative = "two-sided";
  OutputOptions output;
};

const std::map<std::string, stats::Alternative> kAlternatives = {
    {"two-sided", stats::Alternative::kTwoSided},
    {"less", stats::Alternative::kLess},
    {"greater", stats::Alternative::kGreater}};

struct Counts {
  int64_t x = 0;
  int64_t n = 0;
  int64_t n_dropped_missing = 0;
};

Result<Counts> CountsFrom(const RateArgs& args) {
  const bool from_counts = args.events >= 0 || args.n >= 0;
  if (from_counts == !args.input.empty()) {
    return Fail(ErrorCode::kInvalidArgument, "give either --events and --n, or --input", "--input");
  }
  if (from_counts) {
    if (args.events < 0) return Fail(ErrorCode::kInvalidArgument, "missing", "--events");
    if (args.n < 0) return Fail(ErrorCode::kInvalidArgument, "missing", "--n");
    return Counts{args.events, args.n, 0};
  }
  STREAM_ASSIGN_OR_RETURN(auto table, AnalysisTable::Read(args.input));
  STREAM_ASSIGN_OR_RETURN(auto cases, table.Complete({args.event}));
  STREAM_ASSIGN_OR_RETURN(auto codes, table.Binary(args.event, cases.rows));
  Counts counts;
  counts.n = static_cast<int64_t>(codes.size());
  for (int c : codes) counts.x += c;
  counts.n_dropped_missing = cases.dropped;
  return counts;
}

Json Interval(const stats::ProportionInterval& i) {
  return {{"lower", JsonNumber(i.lower)}, {"upper", JsonNumber(i.upper)}};
}

int Run(const RateArgs& args) {
  auto counts = CountsFrom(args);
  if (!counts.ok()) return AnalysisFailed(counts.error());
  const auto alternative = kAlternatives.at(args.alternative);
  const auto [x, n, dropped] = *counts;
  auto exact = stats::ClopperPearsonInterval(x, n, args.conf_level, alternative);
  if (!exact.ok()) return AnalysisFailed(exact.error());
  auto exact_p = stats::BinomialTestPValue(x, n, args.p0, alternative);
  if (!exact_p.ok()) return AnalysisFailed(exact_p.error());
  auto wilson = stats::WilsonScore(x, n, args.p0, args.conf_level, false, alternative);
  if (!wilson.ok()) return AnalysisFailed(wilson.error());
  auto wilson_cc = stats::WilsonScore(x, n, args.p0, args.conf_level, true, alternative);
  if (!wilson_cc.ok()) return AnalysisFailed(wilson_cc.error());

  Renderers renderers;
  renderers.json = [&]() -> Result<std::string> {
    Json out = {{"type", "binomial"},
                {"x", x},
                {"n", n},
                {"n_dropped_missing", dropped},
                {"estimate", JsonNumber(exact->estimate)},
                {"conf_level", args.conf_level},
                {"p0", args.p0},
                {"alternative", args.alternative},
                {"clopper_pearson", {{"conf", Interval(*exact)}, {"p", JsonNumber(*exact_p)}}},
                {"wilson",
                 {{"conf", Interval(wilson->interval)},
                  {"chisq", JsonNumber(wilson->chisq)},
                  {"p", JsonNumber(wilson->p)}}},
                {"wilson_continuity_corrected",
                 {{"conf", Interval(wilson_cc->interval)},
                  {"chisq", JsonNumber(wilson_cc->chisq)},
                  {"p", JsonNumber(wilson_cc->p)}}}};
    if (!args.input.empty()) out["input"] = args.input;
    return JsonText(out);
  };
  renderers.csv = [&]() -> Result<std::string> {
    CsvTable table({"method", "x", "n", "estimate", "lower", "upper", "p0", "p"});
    auto row = [&](const char* method, const stats::ProportionInterval& i, double p) {
      table.AddRow({method, std::to_string(x), std::to_string(n), CsvNumber(i.estimate),
                    CsvNumber(i.lower), CsvNumber(i.upper), CsvNumber(args.p0), CsvNumber(p)});
    };
    row("clopper_pearson", *exact, *exact_p);
    row("wilson", wilson->interval, wilson->p);
    row("wilson_continuity_corrected", wilson_cc->interval, wilson_cc->p);
    return table.text();
  };
  return EmitAnalysis(args.output, renderers);
}

}  // namespace

void AddAnalyzeRate(CLI::App& analyze, int& exit_code) {
  auto args = std::make_shared<RateArgs>();
  auto* cmd = analyze.add_subcommand(
      "rate", "A proportion with exact and Wilson intervals (R: binom.test, prop.test)");
  cmd->add_option("--events", args->events, "Number of events (responders)")
      ->check(CLI::NonNegativeNumber);
  cmd->add_option("--n", args->n, "Number of subjects")->check(CLI::PositiveNumber);
  cmd->add_option("--input", args->input, "CSV file with a 0/1 column instead of counts");
  cmd->add_option("--event", args->event, "The 0/1 column of --input")->capture_default_str();
  cmd->add_option("--conf-level", args->conf_level, "Confidence level")
      ->check(CLI::Range(0.0, 1.0))
      ->capture_default_str();
  cmd->add_option("--p0", args->p0, "Rate under the null hypothesis")->capture_default_str();
  cmd->add_option("--alternative", args->alternative, "two-sided, less or greater")
      ->check(CLI::IsMember({"two-sided", "less", "greater"}))
      ->capture_default_str();
  AddOutputOptions(cmd, args->output, /*svg=*/false);
  cmd->callback([args, &exit_code] { exit_code = Run(*args); });
}

}  // namespace stream::cli
