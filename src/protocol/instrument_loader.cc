#include "protocol/instrument_loader.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "protocol/loader_internal.h"

namespace stream::protocol {
namespace {

using internal::Keys;
using internal::LoadError;
using internal::Text;
using internal::Throw;
using internal::WholeNumber;

constexpr std::pair<std::string_view, clinical::ScaleKind> kKinds[] = {
    {"functional", clinical::ScaleKind::kFunctional},
    {"symptom", clinical::ScaleKind::kSymptom},
    {"global", clinical::ScaleKind::kGlobal},
    {"items", clinical::ScaleKind::kItems}};

// "1-28" or "7": the first and last number.
std::pair<int, int> Span(const YAML::Node& v, std::string_view what, int min) {
  if (!v.IsScalar()) Throw(v, std::string(what) + " must be a number or a range such as 1-28");
  const std::string text = v.as<std::string>();
  const auto dash = text.find('-', 1);
  // The whole of `part` as a number, or an exception.
  auto whole = [](const std::string& part) {
    size_t used = 0;
    const int n = std::stoi(part, &used);
    if (used != part.size()) throw std::invalid_argument(part);
    return n;
  };
  try {
    const int first = whole(text.substr(0, dash));
    const int last = dash == std::string::npos ? first : whole(text.substr(dash + 1));
    if (first < min || last < first) throw std::invalid_argument(text);
    return {first, last};
  } catch (const std::exception&) {
    Throw(v, std::string(what) + " must be a number >= " + std::to_string(min) +
                 " or a range such as 1-28, not '" + text + "'");
  }
}

std::string Placeholder(int number) {
  return "Item " + std::to_string(number) + " (licensed wording not loaded)";
}

clinical::ProInstrument Build(const YAML::Node& root) {
  if (!root || !root.IsMap()) throw LoadError{"an instrument file is a mapping", root.Mark()};
  Keys(root, {"id", "version", "name", "population", "items", "item_names", "scales", "summary"},
       "the instrument");
  clinical::ProInstrument q;
  q.id = Text(root, "id", "the instrument");
  q.version = Text(root, "version", "the instrument");
  q.name = Text(root, "name", "the instrument");
  q.population = Text(root, "population", "the instrument");
  if (q.population != "adult" && q.population != "paediatric")
    Throw(root["population"], "population must be adult or paediatric");
  const YAML::Node items = root["items"];
  if (!items || !items.IsSequence() || items.size() == 0)
    Throw(items ? items : root, "items: a list of {numbers, answers} is required");
  for (const auto& group : items) {
    Keys(group, {"numbers", "answers"}, "an item group");
    const auto [first, last] = Span(group["numbers"], "numbers", 1);
    const auto [lowest, highest] = Span(group["answers"], "answers", 0);
    if (lowest == highest) Throw(group["answers"], "answers must span at least two values");
    for (int n = first; n <= last; ++n) {
      if (q.FindItem(n)) Throw(group["numbers"], "item " + std::to_string(n) + " given twice");
      q.items.push_back({n, "q" + std::to_string(n), Placeholder(n), lowest, highest});
    }
  }
  if (const YAML::Node names = root["item_names"]) {
    if (!names.IsMap()) Throw(names, "item_names must map item numbers to names");
    for (const auto& kv : names) {
      const int n = WholeNumber(kv.first, "an item number", 1);
      auto it = std::find_if(q.items.begin(), q.items.end(),
                             [&](const clinical::ProItem& i) { return i.number == n; });
      if (it == q.items.end()) Throw(kv.first, "no item " + std::to_string(n));
      it->id = kv.second.as<std::string>();
    }
  }
  const YAML::Node scales = root["scales"];
  if (!scales || !scales.IsSequence() || scales.size() == 0)
    Throw(scales ? scales : root, "scales: a list of scales is required");
  for (const auto& node : scales) {
    Keys(node, {"code", "name", "kind", "items"}, "a scale");
    clinical::ProScale scale;
    scale.code = Text(node, "code", "a scale");
    scale.name = Text(node, "name", "a scale");
    scale.kind = internal::Choice(node["kind"], "kind", kKinds);
    if (!node["items"].IsSequence()) Throw(node, "items must be a list of item numbers");
    for (const auto& n : node["items"]) scale.items.push_back(WholeNumber(n, "an item", 1));
    q.scales.push_back(std::move(scale));
  }
  if (const YAML::Node summary = root["summary"]) {
    if (!summary.IsSequence()) Throw(summary, "summary must be a list of scale codes");
    for (const auto& code : summary) q.summary.push_back(code.as<std::string>());
  }
  if (Status s = clinical::CheckInstrument(q); !s.ok()) {
    const YAML::Node at = s.error().where == "summary" ? root["summary"] : root["scales"];
    Throw(at ? at : root, s.error().where + ": " + s.error().message);
  }
  return q;
}

template <typename F>
auto Guarded(std::string_view file_name, F&& body) -> decltype(body()) {
  try {
    return body();
  } catch (const LoadError& e) {
    return Fail(ErrorCode::kInvalidArgument, e.message,
                std::string(file_name) + ":" + std::to_string(e.mark.line + 1) + ":" +
                    std::to_string(e.mark.column + 1));
  } catch (const YAML::Exception& e) {
    return Fail(ErrorCode::kInvalidArgument, e.msg,
                std::string(file_name) + ":" + std::to_string(e.mark.line + 1) + ":" +
                    std::to_string(e.mark.column + 1));
  }
}

Result<std::string> ReadText(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Fail(ErrorCode::kNotFound, "cannot read the file", path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

Result<clinical::ProInstrument> ParseInstrument(std::string_view yaml_text,
                                                std::string_view file_name) {
  return Guarded(file_name, [&]() -> Result<clinical::ProInstrument> {
    return Build(YAML::Load(std::string(yaml_text)));
  });
}

Result<clinical::ProInstrument> LoadInstrumentFile(const std::string& path) {
  STREAM_ASSIGN_OR_RETURN(auto text, ReadText(path));
  return ParseInstrument(text, path);
}

Result<std::vector<clinical::ProInstrument>> LoadInstrumentDirectory(const std::string& directory) {
  std::error_code ec;
  std::vector<std::string> paths;
  for (const auto& entry : std::filesystem::directory_iterator(directory, ec)) {
    if (entry.path().extension() == ".yaml") paths.push_back(entry.path().string());
  }
  if (ec) return Fail(ErrorCode::kNotFound, "cannot read the directory", directory);
  std::vector<clinical::ProInstrument> out;
  for (const auto& path : paths) {
    STREAM_ASSIGN_OR_RETURN(auto q, LoadInstrumentFile(path));
    // Licensed wording installed by `stream instrument wording`.
    const auto wording = std::filesystem::path(directory) / "wording" / (q.id + ".yaml");
    if (std::filesystem::exists(wording, ec)) {
      STREAM_ASSIGN_OR_RETURN(auto text, ReadText(wording.string()));
      STREAM_RETURN_IF_ERROR(ApplyWording(q, text, wording.string()));
    }
    for (const auto& other : out) {
      if (other.id == q.id)
        return Fail(ErrorCode::kInvalidArgument, "instrument '" + q.id + "' defined twice", path);
    }
    out.push_back(std::move(q));
  }
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.id < b.id; });
  return out;
}

Status ApplyWording(clinical::ProInstrument& instrument, std::string_view yaml_text,
                    std::string_view file_name) {
  return Guarded(file_name, [&]() -> Status {
    const YAML::Node root = YAML::Load(std::string(yaml_text));
    if (!root || !root.IsMap()) throw LoadError{"a wording file is a mapping", root.Mark()};
    Keys(root, {"instrument", "version", "items"}, "the wording file");
    if (Text(root, "instrument", "the wording file") != instrument.id)
      Throw(root["instrument"], "the wording is for another instrument than " + instrument.id);
    if (Text(root, "version", "the wording file") != instrument.version)
      Throw(root["version"], "the wording is for another version than " + instrument.version);
    const YAML::Node items = root["items"];
    if (!items || !items.IsMap()) Throw(root, "items must map item numbers to their wording");
    std::vector<clinical::ProItem> worded = instrument.items;
    for (const auto& kv : items) {
      const int n = WholeNumber(kv.first, "an item number", 1);
      auto it = std::find_if(worded.begin(), worded.end(),
                             [&](const clinical::ProItem& i) { return i.number == n; });
      if (it == worded.end())
        Throw(kv.first, instrument.name + " has no item " + std::to_string(n));
      const std::string wording = internal::Trim(kv.second.as<std::string>());
      if (wording.empty())
        Throw(kv.second, "the wording of item " + std::to_string(n) + " is empty");
      it->wording = wording;
    }
    instrument.items = std::move(worded);
    return Ok();
  });
}

}  // namespace stream::protocol
