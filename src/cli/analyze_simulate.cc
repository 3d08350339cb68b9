// stream analyze simulate: Monte-Carlo operating characteristics of a two-arm survival
// trial with a fixed or group-sequential log-rank design (rpact's getSimulationSurvival;
// stats/trial_simulation.h). JSON uses rpact's field names, plus `mc_se`.
#include <cmath>
#include <map>
#include <string>
#include <vector>

#include "cli/analysis_output.h"
#include "cli/analyze_subcommands.h"
#include "core/random_source.h"
#include "stats/trial_simulation.h"

namespace stream::cli {
namespace {

struct SimulateArgs {
  stats::TrialSimulationSettings settings;
  std::string design = "of";
  std::string direction;  // "" = from the hazard ratio
  std::string allocation = "1:1";
  std::string entry = "spaced";
  uint64_t seed = 1;
  OutputOptions output;
};

const std::map<std::string, stats::BoundaryType> kDesigns = {
    {"fixed", stats::BoundaryType::kOBrienFleming},  // one stage: every type is z_{1−α}
    {"of", stats::BoundaryType::kOBrienFleming},
    {"asof", stats::BoundaryType::kOBrienFlemingAlphaSpending}};

// The stats layer names its fields; the user typed options.
Error WithOptionName(Error error) {
  static const std::map<std::string, std::string> kOptions = {
      {"alpha", "--alpha"},
      {"sided", "--sided"},
      {"information_rates", "--information-rates"},
      {"futility_bounds", "--futility-bounds"},
      {"hazard_ratio", "--hr"},
      {"median_control", "--median-control"},
      {"accrual_time", "--accrual"},
      {"subjects", "--subjects"},
      {"planned_events", "--events"},
      {"allocation1", "--allocation"},
      {"allocation2", "--allocation"},
      {"iterations", "--iterations"}};
  const auto it = kOptions.find(error.where);
  if (it != kOptions.end()) error.where = it->second;
  return error;
}

// "a:b" with positive integers (rpact's allocation1, allocation2).
Status ParseAllocation(const std::string& text, stats::TrialSimulationSettings& s) {
  const auto colon = text.find(':');
  const auto invalid = [] {
    return Fail(ErrorCode::kInvalidArgument,
                "expected treatment:control subjects per block, e.g. 2:1", "--allocation");
  };
  if (colon == std::string::npos) return invalid();
  try {
    size_t used1 = 0;
    size_t used2 = 0;
    const int a = std::stoi(text.substr(0, colon), &used1);
    const int b = std::stoi(text.substr(colon + 1), &used2);
    if (used1 != colon || used2 != text.size() - colon - 1 || a < 1 || b < 1) return invalid();
    s.allocation1 = a;
    s.allocation2 = b;
  } catch (const std::exception&) {
    return invalid();
  }
  return Ok();
}

// Per-stage estimates as rpact's columns; NaN (conditional power at stage 1) is null.
Json Values(const std::vector<stats::McEstimate>& estimates) {
  std::vector<double> v;
  v.reserve(estimates.size());
  for (const auto& e : estimates) v.push_back(e.value);
  return JsonNumbers(v);
}
Json Errors(const std::vector<stats::McEstimate>& estimates) {
  std::vector<double> v;
  v.reserve(estimates.size());
  for (const auto& e : estimates) v.push_back(e.se);
  return JsonNumbers(v);
}

int Run(SimulateArgs& args) {
  stats::TrialSimulationSettings& s = args.settings;
  s.boundary = kDesigns.at(args.design);
  if (args.design == "fixed" && s.planned_events.size() != 1) {
    return AnalysisFailed(Fail(ErrorCode::kInvalidArgument,
                               "a fixed design has one analysis: give one --events count",
                               "--events"));
  }
  if (const Status parsed = ParseAllocation(args.allocation, s); !parsed.ok()) {
    return AnalysisFailed(parsed.error());
  }
  const bool upper = args.direction.empty() ? s.hazard_ratio > 1 : args.direction == "upper";
  s.direction = upper ? stats::SimulationDirection::kUpper : stats::SimulationDirection::kLower;
  s.entry = args.entry == "random" ? stats::EntryTimes::kRandomUniform
                                   : stats::EntryTimes::kEquallySpaced;
  SeededRandom random(args.seed);
  auto simulated = stats::SimulateSurvivalTrial(s, random);
  if (!simulated.ok()) return AnalysisFailed(WithOptionName(simulated.error()));
  const stats::TrialSimulationResult& r = *simulated;
  const size_t stages = s.planned_events.size();

  // rpact reports subjects per arm as the allocation share of numberOfSubjects and
  // stage-wise events as differences of the cumulative ones.
  const double share1 = static_cast<double>(s.allocation1) / (s.allocation1 + s.allocation2);
  std::vector<double> subjects1;
  std::vector<double> subjects2;
  std::vector<double> overall_events;
  std::vector<double> stage_events;
  for (size_t k = 0; k < stages; ++k) {
    const double n = r.subjects_per_stage[k].value;
    subjects1.push_back(n * share1);
    subjects2.push_back(n * (1 - share1));
    overall_events.push_back(r.events_per_stage[k].value);
    stage_events.push_back(r.events_per_stage[k].value -
                           (k == 0 ? 0.0 : r.events_per_stage[k - 1].value));
  }
  std::vector<double> planned(s.planned_events.begin(), s.planned_events.end());

  Renderers renderers;
  renderers.json = [&]() -> Result<std::string> {
    Json out = {{"type", "simulation_survival"},
                {"seed", args.seed},
                {"maxNumberOfIterations", r.iterations},
                {"design",
                 {{"typeOfDesign", stages == 1 ? "fixed" : (args.design == "asof" ? "asOF" : "OF")},
                  {"kMax", stages},
                  {"alpha", s.alpha},
                  {"sided", s.sided},
                  {"informationRates", JsonNumbers(r.information_rates)},
                  {"criticalValues", JsonNumbers(r.boundaries.critical_values)},
                  {"futilityBounds", JsonNumbers(s.futility_bounds)},
                  {"alphaSpent", JsonNumbers(r.boundaries.alpha_spent)}}},
                {"directionUpper", upper},
                {"thetaH0", 1},
                {"hazardRatio", JsonNumber(s.hazard_ratio)},
                {"median1", JsonNumber(r.median1)},
                {"median2", JsonNumber(s.median_control)},
                {"lambda1", JsonNumber(r.lambda1)},
                {"lambda2", JsonNumber(r.lambda2)},
                {"accrualTime", JsonNumber(s.accrual_time)},
                {"accrualIntensity", JsonNumber(r.accrual_intensity)},
                {"entry", args.entry},
                {"maxNumberOfSubjects", s.subjects},
                {"plannedEvents", s.planned_events},
                {"allocation1", s.allocation1},
                {"allocation2", s.allocation2},
                {"allocationRatioPlanned", JsonNumber(r.allocation_ratio)},
                {"iterations", r.iterations_per_stage},
                {"overallReject", JsonNumber(r.overall_reject.value)},
                {"rejectPerStage", Values(r.reject_per_stage)},
                {"futilityPerStage", Values(r.futility_per_stage)},
                {"futilityStop", JsonNumber(r.futility_stop.value)},
                {"earlyStop", JsonNumber(r.early_stop.value)},
                {"analysisTime", Values(r.analysis_time)},
                {"studyDuration", JsonNumber(r.study_duration.value)},
                {"numberOfSubjects", Values(r.subjects_per_stage)},
                {"numberOfSubjects1", JsonNumbers(subjects1)},
                {"numberOfSubjects2", JsonNumbers(subjects2)},
                {"eventsPerStage", JsonNumbers(stage_events)},
                {"overallEventsPerStage", JsonNumbers(overall_events)},
                {"expectedNumberOfEvents", JsonNumber(r.expected_events.value)},
                {"expectedNumberOfSubjects", JsonNumber(r.expected_subjects.value)},
                {"conditionalPowerAchieved", Values(r.conditional_power)},
                {"mc_se",
                 {{"overallReject", JsonNumber(r.overall_reject.se)},
                  {"rejectPerStage", Errors(r.reject_per_stage)},
                  {"futilityPerStage", Errors(r.futility_per_stage)},
                  {"futilityStop", JsonNumber(r.futility_stop.se)},
                  {"earlyStop", JsonNumber(r.early_stop.se)},
                  {"analysisTime", Errors(r.analysis_time)},
                  {"studyDuration", JsonNumber(r.study_duration.se)},
                  {"numberOfSubjects", Errors(r.subjects_per_stage)},
                  {"overallEventsPerStage", Errors(r.events_per_stage)},
                  {"expectedNumberOfEvents", JsonNumber(r.expected_events.se)},
                  {"expectedNumberOfSubjects", JsonNumber(r.expected_subjects.se)},
                  {"conditionalPowerAchieved", Errors(r.conditional_power)}}}};
    return JsonText(out);
  };
  renderers.csv = [&]() -> Result<std::string> {
    CsvTable table({"quantity", "stage", "value", "mc_se"});
    const auto row = [&](const char* name, const std::string& stage, const stats::McEstimate& e) {
      table.AddRow({name, stage, CsvNumber(e.value), CsvNumber(e.se)});
    };
    row("overallReject", "", r.overall_reject);
    row("futilityStop", "", r.futility_stop);
    row("earlyStop", "", r.early_stop);
    row("studyDuration", "", r.study_duration);
    row("expectedNumberOfEvents", "", r.expected_events);
    row("expectedNumberOfSubjects", "", r.expected_subjects);
    for (size_t k = 0; k < stages; ++k) {
      const std::string stage = std::to_string(k + 1);
      const double reached = static_cast<double>(r.iterations_per_stage[k]);
      table.AddRow({"iterations", stage, CsvNumber(reached), ""});
      row("rejectPerStage", stage, r.reject_per_stage[k]);
      if (k + 1 < stages) row("futilityPerStage", stage, r.futility_per_stage[k]);
      row("analysisTime", stage, r.analysis_time[k]);
      row("numberOfSubjects", stage, r.subjects_per_stage[k]);
      row("overallEventsPerStage", stage, r.events_per_stage[k]);
      row("conditionalPowerAchieved", stage, r.conditional_power[k]);
    }
    return table.text();
  };
  return EmitAnalysis(args.output, renderers);
}

}  // namespace

void AddAnalyzeSimulate(CLI::App& analyze, int& exit_code) {
  auto args = std::make_shared<SimulateArgs>();
  auto& s = args->settings;
  s.iterations = 10000;
  auto* cmd = analyze.add_subcommand(
      "simulate",
      "Simulated power, stopping and timing of a two-arm log-rank trial, fixed or "
      "group-sequential (rpact: getSimulationSurvival)");
  cmd->add_option("--hr", s.hazard_ratio, "Hazard ratio treatment/control to simulate")->required();
  cmd->add_option("--subjects", s.subjects, "Subjects accrued (rpact maxNumberOfSubjects)")
      ->required();
  cmd->add_option("--events", s.planned_events,
                  "Cumulative events at each analysis, comma-separated (rpact plannedEvents)")
      ->delimiter(',')
      ->required();
  cmd->add_option("--design", args->design,
                  "fixed, of (O'Brien-Fleming) or asof (Lan-DeMets O'Brien-Fleming spending)")
      ->check(CLI::IsMember({"fixed", "of", "asof"}))
      ->capture_default_str();
  cmd->add_option("--information-rates", s.information_rates,
                  "Information rates of the analyses, comma-separated (default: events / "
                  "last events)")
      ->delimiter(',');
  cmd->add_option("--futility-bounds", s.futility_bounds,
                  "One-sided: z bounds below which an interim stops for futility "
                  "(default: none, i.e. -6)")
      ->delimiter(',');
  cmd->add_option("--alpha", s.alpha, "Significance level (total over both sides)")
      ->capture_default_str();
  cmd->add_option("--sided", s.sided, "1 or 2")
      ->check(CLI::IsMember({1, 2}))
      ->capture_default_str();
  cmd->add_option("--direction", args->direction,
                  "lower (H1: HR < 1, rpact directionUpper = FALSE) or upper; default from --hr")
      ->check(CLI::IsMember({"lower", "upper"}));
  cmd->add_option("--median-control", s.median_control,
                  "Median event-free time in the control arm (exponential)")
      ->capture_default_str();
  cmd->add_option("--accrual", s.accrual_time, "Accrual duration")->capture_default_str();
  cmd->add_option("--entry", args->entry,
                  "spaced (subject i enters at i*accrual/subjects, as rpact) or random "
                  "(uniform)")
      ->check(CLI::IsMember({"spaced", "random"}))
      ->capture_default_str();
  cmd->add_option("--allocation", args->allocation,
                  "Subjects per allocation block, treatment:control (rpact allocation1:2)")
      ->capture_default_str();
  cmd->add_option("--iterations", s.iterations, "Simulated trials")->capture_default_str();
  cmd->add_option("--seed", args->seed, "Seed of the random generator (xoshiro256**)")
      ->capture_default_str();
  AddOutputOptions(cmd, args->output, /*svg=*/false);
  cmd->callback([args, &exit_code] { exit_code = Run(*args); });
}

}  // namespace stream::cli
