// stream instrument: the patient-reported outcome instruments (instruments/*.yaml,
// docs/instruments.md): list them, show one with its items and scales, score a completed
// questionnaire, and install the licensed item wording over the placeholders.
#include <filesystem>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "cli/commands.h"
#include "cli/json_input.h"
#include "core/validation.h"
#include "protocol/instrument_loader.h"

namespace stream::cli {
namespace {

using nlohmann::json;

struct InstrumentArgs {
  std::string dir = "instruments";
  std::string id;
  std::string answers;  // {"1": 2, "2": 1, …}
  std::string file;     // the wording file
};

Result<clinical::ProInstrument> Find(const InstrumentArgs& args) {
  STREAM_ASSIGN_OR_RETURN(auto all, protocol::LoadInstrumentDirectory(args.dir));
  for (auto& q : all) {
    if (q.id == args.id) return std::move(q);
  }
  std::string ids;
  for (const auto& q : all) ids += (ids.empty() ? "" : ", ") + q.id;
  return Fail(ErrorCode::kNotFound, "no instrument '" + args.id + "'; there are: " + ids,
              "--instrument");
}

json Describe(const clinical::ProInstrument& q, bool items) {
  json out = {{"id", q.id},
              {"version", q.version},
              {"name", q.name},
              {"population", q.population},
              {"items", q.items.size()},
              {"summary", q.summary}};
  json scales = json::array();
  for (const auto& s : q.scales)
    scales.push_back({{"code", s.code},
                      {"name", s.name},
                      {"kind", clinical::ToString(s.kind)},
                      {"items", s.items}});
  out["scales"] = scales;
  if (items) {
    json list = json::array();
    for (const auto& i : q.items)
      list.push_back({{"number", i.number},
                      {"id", i.id},
                      {"wording", i.wording},
                      {"answers", {i.lowest, i.highest}}});
    out["items"] = list;
  }
  return out;
}

// {"<item number>": answer, …} inline, in a file or on stdin, or the text form a
// questionnaire record stores ("1=2;2=1;…"); null or absent items are unanswered.
Result<std::map<int, int>> ParseAnswers(const std::string& text) {
  if (auto stored = ParseItemAnswers(text); stored && !text.empty()) return *stored;
  STREAM_ASSIGN_OR_RETURN(json doc, ReadJsonArgument(text));
  if (!doc.is_object())
    return Fail(ErrorCode::kInvalidArgument, "expected {\"<item number>\": answer, …}",
                "--answers");
  std::map<int, int> answers;
  for (const auto& [key, value] : doc.items()) {
    int number = 0;
    try {
      size_t used = 0;
      number = std::stoi(key, &used);
      if (used != key.size()) throw std::invalid_argument(key);
    } catch (const std::exception&) {
      return Fail(ErrorCode::kInvalidArgument, "an item number, not '" + key + "'", "--answers");
    }
    if (value.is_null()) continue;
    if (!value.is_number_integer())
      return Fail(ErrorCode::kInvalidArgument, "answers are whole numbers", "item " + key);
    answers[number] = value.get<int>();
  }
  return answers;
}

int Score(const InstrumentArgs& args) {
  auto q = Find(args);
  if (!q.ok()) return ReportError(q.error());
  auto answers = ParseAnswers(args.answers);
  if (!answers.ok()) return ReportError(answers.error());
  auto scores = clinical::ScoreQuestionnaire(*q, *answers);
  if (!scores.ok()) return ReportError(scores.error());
  json scales = json::array();
  for (const auto& s : scores->scales) {
    json row = {{"code", s.code}, {"answered", s.answered}, {"items", s.items}};
    row["score"] = s.score ? json(*s.score) : json();
    if (!s.score) row["not_scorable"] = s.not_scorable;
    scales.push_back(row);
  }
  json out = {{"instrument", q->id}, {"version", q->version}, {"scales", scales}};
  if (!q->summary.empty()) {
    out["summary"] = scores->summary ? json(*scores->summary) : json();
    if (!scores->summary) out["summary_not_scorable"] = scores->summary_not_scorable;
  }
  std::cout << out.dump(2) << "\n";
  return kExitOk;
}

// Checks the wording file against the instrument, then copies it to
// <dir>/wording/<id>.yaml, where LoadInstrumentDirectory applies it.
int InstallWording(const InstrumentArgs& args) {
  auto q = Find(args);
  if (!q.ok()) return ReportError(q.error());
  std::ifstream in(args.file, std::ios::binary);
  if (!in) return ReportError(Fail(ErrorCode::kNotFound, "cannot read the file", args.file));
  std::stringstream text;
  text << in.rdbuf();
  if (Status s = protocol::ApplyWording(*q, text.str(), args.file); !s.ok())
    return ReportError(s.error());
  const std::filesystem::path target =
      std::filesystem::path(args.dir) / "wording" / (q->id + ".yaml");
  std::error_code ec;
  std::filesystem::create_directories(target.parent_path(), ec);
  if (Status s = WriteOutput(target.string(), text.str()); !s.ok()) return ReportError(s.error());
  std::cout << json{{"instrument", q->id}, {"wording", target.string()}}.dump(2) << "\n";
  return kExitOk;
}

}  // namespace

void AddInstrumentCommand(CLI::App& app, int& exit_code) {
  auto args = std::make_shared<InstrumentArgs>();
  auto* cmd = app.add_subcommand(
      "instrument", "Patient-reported outcome instruments: list, show, score, load wording");
  cmd->require_subcommand(1);
  cmd->add_option("--instruments", args->dir, "Folder of the instrument definitions")
      ->capture_default_str();
  auto* list = cmd->add_subcommand("list", "The instruments, with their scales");
  list->callback([args, &exit_code] {
    auto all = protocol::LoadInstrumentDirectory(args->dir);
    if (!all.ok()) return void(exit_code = ReportError(all.error()));
    json out = json::array();
    for (const auto& q : *all) out.push_back(Describe(q, false));
    std::cout << out.dump(2) << "\n";
  });
  auto* show = cmd->add_subcommand("show", "One instrument with its items and scales");
  show->add_option("--instrument", args->id, "Instrument id")->required();
  show->callback([args, &exit_code] {
    auto q = Find(*args);
    if (!q.ok()) return void(exit_code = ReportError(q.error()));
    std::cout << Describe(*q, true).dump(2) << "\n";
  });
  auto* score = cmd->add_subcommand("score", "Score one completed questionnaire");
  score->add_option("--instrument", args->id, "Instrument id")->required();
  score
      ->add_option("--answers", args->answers,
                   R"(Answers as JSON {"1": 2, "2": 1, …} or as stored: 1=2;2=1;…)")
      ->required();
  score->callback([args, &exit_code] { exit_code = Score(*args); });
  auto* wording = cmd->add_subcommand(
      "wording", "Install the licensed item wording of an instrument from a YAML file");
  wording->add_option("--instrument", args->id, "Instrument id")->required();
  wording->add_option("--file", args->file, "The wording file")->required();
  wording->callback([args, &exit_code] { exit_code = InstallWording(*args); });
}

}  // namespace stream::cli
