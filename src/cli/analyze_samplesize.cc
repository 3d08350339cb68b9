// stream analyze samplesize: events and subjects for a two-arm log-rank comparison,
// fixed design (rpact's getSampleSizeSurvival / getPowerSurvival, kMax = 1).
#include <cmath>
#include <map>

#include "cli/analysis_output.h"
#include "cli/analyze_subcommands.h"
#include "stats/sample_size.h"

namespace stream::cli {
namespace {

struct SampleSizeArgs {
  stats::SurvivalDesign design;
  double power = 0.8;
  double follow_up = 12;
  std::string method = "schoenfeld";
  OutputOptions output;
};

const std::map<std::string, stats::EventFormula> kMethods = {
    {"schoenfeld", stats::EventFormula::kSchoenfeld},
    {"freedman", stats::EventFormula::kFreedman},
    {"hsieh-freedman", stats::EventFormula::kHsiehFreedman}};

struct Plan {
  stats::SampleSizeResult size;
  double events_planned = 0;    // ceiling of the required events
  double subjects_planned = 0;  // smallest integer >= required, even for 1:1 allocation
  stats::PowerResult power;     // at the planned events and subjects
};

int Run(SampleSizeArgs& args) {
  args.design.formula = kMethods.at(args.method);
  auto size = stats::SampleSizeSurvival(args.design, args.power, args.follow_up);
  if (!size.ok()) return AnalysisFailed(size.error());
  Plan plan;
  plan.size = *size;
  plan.events_planned = std::ceil(size->events - 1e-9);
  plan.subjects_planned = std::ceil(size->subjects - 1e-9);
  if (args.design.allocation_ratio == 1.0 && std::fmod(plan.subjects_planned, 2.0) != 0) {
    plan.subjects_planned += 1;
  }
  auto power = stats::PowerSurvival(args.design, plan.events_planned, plan.subjects_planned);
  if (!power.ok()) return AnalysisFailed(power.error());
  plan.power = *power;

  const auto& s = plan.size;
  Renderers renderers;
  renderers.json = [&]() -> Result<std::string> {
    Json out = {{"type", "sample_size_survival"},
                {"method", args.method},
                {"hazard_ratio", args.design.hazard_ratio},
                {"alpha", args.design.alpha},
                {"sided", args.design.sided},
                {"power", args.power},
                {"allocation_ratio", args.design.allocation_ratio},
                {"median_control", args.design.median_control},
                {"accrual_time", args.design.accrual_time},
                {"follow_up_time", args.follow_up},
                {"events", JsonNumber(s.events)},
                {"subjects", JsonNumber(s.subjects)},
                {"subjects1", JsonNumber(s.subjects1)},
                {"subjects2", JsonNumber(s.subjects2)},
                {"accrual_intensity", JsonNumber(s.accrual_intensity)},
                {"omega", JsonNumber(s.omega)},
                {"analysis_time", JsonNumber(s.analysis_time)},
                {"lambda1", JsonNumber(s.lambda1)},
                {"lambda2", JsonNumber(s.lambda2)},
                {"median1", JsonNumber(s.median1)},
                {"critical_z", JsonNumber(s.critical_z)},
                {"critical_hr_lower", JsonNumber(s.critical_hr_lower)},
                {"critical_hr_upper", JsonNumber(s.critical_hr_upper)},
                {"planned",
                 {{"events", plan.events_planned},
                  {"subjects", plan.subjects_planned},
                  {"power", JsonNumber(plan.power.power)},
                  {"analysis_time", JsonNumber(plan.power.analysis_time)},
                  {"accrual_intensity", JsonNumber(plan.power.accrual_intensity)}}}};
    return JsonText(out);
  };
  renderers.csv = [&]() -> Result<std::string> {
    CsvTable table({"quantity", "value"});
    const std::pair<const char*, double> rows[] = {
        {"events", s.events},
        {"subjects", s.subjects},
        {"accrual_intensity", s.accrual_intensity},
        {"omega", s.omega},
        {"analysis_time", s.analysis_time},
        {"critical_hr_lower", s.critical_hr_lower},
        {"critical_hr_upper", s.critical_hr_upper},
        {"planned_events", plan.events_planned},
        {"planned_subjects", plan.subjects_planned},
        {"planned_power", plan.power.power},
        {"planned_analysis_time", plan.power.analysis_time}};
    for (const auto& [name, value] : rows) table.AddRow({name, CsvNumber(value)});
    return table.text();
  };
  return EmitAnalysis(args.output, renderers);
}

}  // namespace

void AddAnalyzeSampleSize(CLI::App& analyze, int& exit_code) {
  auto args = std::make_shared<SampleSizeArgs>();
  auto& d = args->design;
  auto* cmd = analyze.add_subcommand(
      "samplesize",
      "Events and subjects for a two-arm log-rank trial, fixed design (rpact: "
      "getSampleSizeSurvival)");
  cmd->add_option("--hr", d.hazard_ratio, "Hazard ratio treatment/control under H1")->required();
  cmd->add_option("--alpha", d.alpha, "Significance level (total over both sides)")
      ->capture_default_str();
  cmd->add_option("--power", args->power, "Power")->capture_default_str();
  cmd->add_option("--sided", d.sided, "1 or 2")
      ->check(CLI::IsMember({1, 2}))
      ->capture_default_str();
  cmd->add_option("--median-control", d.median_control,
                  "Median event-free time in the control arm (exponential)")
      ->capture_default_str();
  cmd->add_option("--accrual", d.accrual_time, "Uniform accrual duration")->capture_default_str();
  cmd->add_option("--follow-up", args->follow_up, "Follow-up after the end of accrual")
      ->capture_default_str();
  cmd->add_option("--allocation-ratio", d.allocation_ratio, "Subjects treatment/control")
      ->capture_default_str();
  cmd->add_option("--method", args->method, "schoenfeld, freedman or hsieh-freedman")
      ->check(CLI::IsMember({"schoenfeld", "freedman", "hsieh-freedman"}))
      ->capture_default_str();
  AddOutputOptions(cmd, args->output, /*svg=*/false);
  cmd->callback([args, &exit_code] { exit_code = Run(*args); });
}

}  // namespace stream::cli
