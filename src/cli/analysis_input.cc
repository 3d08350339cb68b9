#include "cli/analysis_input.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>

#include "cli/cli_context.h"

namespace stream::cli {
namespace {

Error InputError(std::string where, std::string message) {
  return Fail(ErrorCode::kInvalidArgument, std::move(message), std::move(where));
}

std::optional<double> ParseNumber(const std::string& text) {
  double value = 0;
  const char* begin = text.data();
  const char* end = text.data() + text.size();
  while (begin < end && *begin == ' ') ++begin;
  while (end > begin && end[-1] == ' ') --end;
  if (begin < end && *begin == '+') ++begin;
  auto [ptr, ec] = std::from_chars(begin, end, value);
  if (ec != std::errc() || ptr != end || begin == end || !std::isfinite(value)) return {};
  return value;
}

// refdata's `<name>.meta.json`: factor levels in R's order, by column.
std::map<std::string, std::vector<std::string>> ReadMetaLevels(const std::string& csv_path) {
  std::map<std::string, std::vector<std::string>> levels;
  const std::string suffix = ".csv";
  if (csv_path.size() <= suffix.size() ||
      csv_path.compare(csv_path.size() - suffix.size(), suffix.size(), suffix) != 0) {
    return levels;
  }
  std::ifstream in(csv_path.substr(0, csv_path.size() - suffix.size()) + ".meta.json");
  if (!in) return levels;
  const auto meta = nlohmann::json::parse(in, nullptr, /*allow_exceptions=*/false);
  if (!meta.is_object() || !meta.contains("columns") || !meta["columns"].is_array()) return levels;
  for (const auto& column : meta["columns"]) {
    if (!column.is_object() || !column.contains("name") || !column.contains("levels")) continue;
    if (!column["name"].is_string() || !column["levels"].is_array()) continue;
    std::vector<std::string> names;
    for (const auto& level : column["levels"]) {
      if (level.is_string()) names.push_back(level.get<std::string>());
    }
    levels[column["name"].get<std::string>()] = std::move(names);
  }
  return levels;
}

}  // namespace

bool IsMissing(const std::string& cell) { return cell.empty() || cell == "NA"; }

Result<AnalysisTable> AnalysisTable::Read(const std::string& path) {
  STREAM_ASSIGN_OR_RETURN(std::string text, ReadInput(path));
  STREAM_ASSIGN_OR_RETURN(AnalysisTable table, FromText(path, text));
  if (path != "-") table.meta_levels_ = ReadMetaLevels(path);
  return table;
}

Result<AnalysisTable> AnalysisTable::FromText(const std::string& source, std::string_view text) {
  auto parsed = interop::ParseCsv(text);
  if (!parsed.ok()) return InputError(source + ": " + parsed.error().where, parsed.error().message);
  if (parsed->empty()) return InputError(source, "the file is empty: expected a header row");
  AnalysisTable table;
  table.source_ = source;
  table.header_ = std::move(parsed->front().cells);
  for (size_t i = 0; i < table.header_.size(); ++i) {
    if (!table.index_.emplace(table.header_[i], i).second) {
      return InputError(source + ":1", "column '" + table.header_[i] + "' appears twice");
    }
  }
  table.rows_.assign(std::make_move_iterator(parsed->begin() + 1),
                     std::make_move_iterator(parsed->end()));
  return table;
}

std::optional<std::vector<std::string>> AnalysisTable::MetaLevels(const std::string& column) const {
  auto it = meta_levels_.find(column);
  if (it == meta_levels_.end()) return std::nullopt;
  return it->second;
}

std::string AnalysisTable::Where(int64_t row) const {
  return source_ + ":" + std::to_string(rows_[static_cast<size_t>(row)].line);
}

Result<size_t> AnalysisTable::Index(const std::string& column) const {
  auto it = index_.find(column);
  if (it != index_.end()) return it->second;
  std::string names;
  for (const auto& name : header_) names += (names.empty() ? "" : ", ") + name;
  return InputError(source_, "no column '" + column + "' (the header has: " + names + ")");
}

Result<AnalysisTable::CompleteCases> AnalysisTable::Complete(
    const std::vector<std::string>& columns) const {
  std::vector<size_t> used;
  for (const auto& column : columns) {
    STREAM_ASSIGN_OR_RETURN(size_t index, Index(column));
    used.push_back(index);
  }
  CompleteCases cases;
  cases.rows.reserve(rows_.size());
  for (int64_t row = 0; row < rows(); ++row) {
    const bool complete =
        std::none_of(used.begin(), used.end(), [&](size_t c) { return IsMissing(Cell(row, c)); });
    if (complete) {
      cases.rows.push_back(row);
    } else {
      ++cases.dropped;
    }
  }
  return cases;
}

Result<std::vector<double>> AnalysisTable::Numbers(const std::string& column,
                                                   const std::vector<int64_t>& rows) const {
  STREAM_ASSIGN_OR_RETURN(size_t index, Index(column));
  std::vector<double> values;
  values.reserve(rows.size());
  for (int64_t row : rows) {
    const auto value = ParseNumber(Cell(row, index));
    if (!value) {
      return InputError(Where(row),
                        "column '" + column + "': '" + Cell(row, index) + "' is not a number");
    }
    values.push_back(*value);
  }
  return values;
}

Result<std::vector<int>> AnalysisTable::Binary(const std::string& column,
                                               const std::vector<int64_t>& rows) const {
  STREAM_ASSIGN_OR_RETURN(size_t index, Index(column));
  std::vector<int> codes;
  codes.reserve(rows.size());
  for (int64_t row : rows) {
    const std::string& cell = Cell(row, index);
    const auto value = ParseNumber(cell);
    if (cell == "TRUE" || (value && *value == 1.0)) {
      codes.push_back(1);
    } else if (cell == "FALSE" || (value && *value == 0.0)) {
      codes.push_back(0);
    } else {
      return InputError(Where(row),
                        "column '" + column + "': '" + cell + "' is not 0 or 1 (0 = censored)");
    }
  }
  return codes;
}

Result<AnalysisTable::Factor> AnalysisTable::Factorize(
    const std::string& column, const std::vector<int64_t>& rows,
    const std::vector<std::string>& explicit_levels) const {
  STREAM_ASSIGN_OR_RETURN(size_t index, Index(column));
  Factor factor;
  bool fixed = true;
  if (!explicit_levels.empty()) {
    factor.levels = explicit_levels;
  } else if (auto meta = MetaLevels(column); meta && !meta->empty()) {
    factor.levels = *meta;
  } else {
    fixed = false;
    std::set<std::string> seen;
    for (int64_t row : rows) seen.insert(Cell(row, index));
    factor.levels.assign(seen.begin(), seen.end());
    const bool numeric =
        std::all_of(factor.levels.begin(), factor.levels.end(),
                    [](const std::string& s) { return ParseNumber(s).has_value(); });
    if (numeric) {
      std::stable_sort(factor.levels.begin(), factor.levels.end(),
                       [](const std::string& a, const std::string& b) {
                         return *ParseNumber(a) < *ParseNumber(b);
                       });
    }
  }
  std::map<std::string, int> code_of;
  for (size_t i = 0; i < factor.levels.size(); ++i) {
    if (!code_of.emplace(factor.levels[i], static_cast<int>(i)).second) {
      return InputError(
          source_, "column '" + column + "': level '" + factor.levels[i] + "' is listed twice");
    }
  }
  std::vector<int64_t> count(factor.levels.size(), 0);
  factor.codes.reserve(rows.size());
  for (int64_t row : rows) {
    auto it = code_of.find(Cell(row, index));
    if (it == code_of.end()) {
      std::string known;
      for (const auto& level : factor.levels) known += (known.empty() ? "" : ", ") + level;
      return InputError(Where(row), "column '" + column + "': '" + Cell(row, index) +
                                        "' is not one of the levels (" + known + ")");
    }
    factor.codes.push_back(it->second);
    ++count[static_cast<size_t>(it->second)];
  }
  if (fixed) {
    for (size_t i = 0; i < count.size(); ++i) {
      if (count[i] == 0) {
        return InputError(source_, "column '" + column + "': group '" + factor.levels[i] +
                                       "' has no rows with complete data");
      }
    }
  }
  return factor;
}

Result<SurvivalInput> ReadSurvivalInput(const AnalysisTable& table,
                                        const SurvivalColumns& columns) {
  std::vector<std::string> used = {columns.time, columns.event};
  if (!columns.group.empty()) used.push_back(columns.group);
  if (!columns.strata.empty()) used.push_back(columns.strata);
  STREAM_ASSIGN_OR_RETURN(auto cases, table.Complete(used));
  if (cases.rows.empty()) {
    return InputError(table.source(), "no rows with values in every used column (" +
                                          std::to_string(cases.dropped) + " dropped)");
  }
  SurvivalInput input;
  input.n = static_cast<int64_t>(cases.rows.size());
  input.n_dropped_missing = cases.dropped;
  STREAM_ASSIGN_OR_RETURN(input.data.time, table.Numbers(columns.time, cases.rows));
  for (size_t i = 0; i < input.data.time.size(); ++i) {
    if (input.data.time[i] < 0) {
      return InputError(table.Where(cases.rows[i]), "column '" + columns.time +
                                                        "': negative time " +
                                                        nlohmann::json(input.data.time[i]).dump());
    }
  }
  STREAM_ASSIGN_OR_RETURN(input.data.event, table.Binary(columns.event, cases.rows));
  if (!columns.group.empty()) {
    STREAM_ASSIGN_OR_RETURN(auto factor,
                            table.Factorize(columns.group, cases.rows, columns.group_levels));
    input.data.group = std::move(factor.codes);
    input.group_levels = factor.levels;
    for (const auto& level : factor.levels) {
      input.data.group_labels.push_back(columns.group + "=" + level);
    }
  }
  if (!columns.strata.empty()) {
    STREAM_ASSIGN_OR_RETURN(auto factor, table.Factorize(columns.strata, cases.rows));
    input.data.stratum = std::move(factor.codes);
    input.strata_levels = factor.levels;
    for (const auto& level : factor.levels) {
      input.data.stratum_labels.push_back(columns.strata + "=" + level);
    }
  }
  return input;
}

void AddSurvivalColumnOptions(CLI::App* cmd, SurvivalColumns& columns, std::string& group_levels) {
  cmd->add_option("--time", columns.time, "Column with the follow-up time (>= 0)")
      ->capture_default_str();
  cmd->add_option("--event", columns.event, "Column with the event indicator (1 event, 0 censored)")
      ->capture_default_str();
  cmd->add_option("--group", columns.group, "Column whose values define the groups compared");
  cmd->add_option("--group-levels", group_levels,
                  "Group order, comma-separated (default: the .meta.json levels beside the CSV, "
                  "else numeric or alphabetical); every level must have rows");
  cmd->add_option("--strata", columns.strata, "Column defining strata");
}

std::vector<std::string> SplitList(const std::string& text) {
  std::vector<std::string> items;
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find(',', start);
    if (end == std::string::npos) end = text.size();
    std::string item = text.substr(start, end - start);
    item.erase(0, item.find_first_not_of(' '));
    item.erase(item.find_last_not_of(' ') + 1);
    if (!item.empty()) items.push_back(item);
    start = end + 1;
  }
  return items;
}

Result<std::vector<double>> ParseNumberList(const std::string& option, const std::string& text) {
  std::vector<double> values;
  for (const auto& item : SplitList(text)) {
    const auto value = ParseNumber(item);
    if (!value) return InputError(option, "'" + item + "' is not a number");
    values.push_back(*value);
  }
  return values;
}

}  // namespace stream::cli
