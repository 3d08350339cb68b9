#include "support/refdata.h"

#include <fstream>
#include <sstream>
#include <stdexcept>

namespace stream::testing {

std::string RefdataPath(const std::string& relative) {
  return std::string(STREAM_REFDATA_DIR) + "/" + relative;
}

nlohmann::json LoadExpected(const std::string& name) {
  std::ifstream in(RefdataPath("expected/" + name));
  if (!in) throw std::runtime_error("cannot open refdata expected/" + name);
  return nlohmann::json::parse(in);
}

Dataset LoadDataset(const std::string& name) {
  std::ifstream in(RefdataPath("datasets/" + name + ".csv"));
  if (!in) throw std::runtime_error("cannot open refdata dataset " + name);
  Dataset data;
  std::string line;
  auto split = [](const std::string& l) {
    std::vector<std::string> cells;
    std::stringstream ss(l);
    std::string cell;
    while (std::getline(ss, cell, ',')) cells.push_back(cell);
    if (!l.empty() && l.back() == ',') cells.emplace_back();
    return cells;
  };
  std::getline(in, line);
  data.names = split(line);
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    auto cells = split(line);
    cells.resize(data.names.size());
    for (size_t i = 0; i < data.names.size(); ++i) {
      auto& col = data.columns[data.names[i]];
      if (cells[i].empty() || cells[i] == "NA") {
        col.push_back(std::nullopt);
      } else {
        col.push_back(cells[i]);
      }
    }
    ++data.rows;
  }
  return data;
}

std::vector<double> Dataset::Numbers(const std::string& name) const {
  std::vector<double> out;
  for (const auto& cell : columns.at(name)) out.push_back(cell ? std::stod(*cell) : NAN);
  return out;
}

std::vector<std::string> Dataset::Texts(const std::string& name) const {
  std::vector<std::string> out;
  for (const auto& cell : columns.at(name)) out.push_back(cell.value_or(""));
  return out;
}

double JsonNumber(const nlohmann::json& v) {
  if (v.is_null()) return NAN;
  if (v.is_string()) {
    if (v == "Inf") return INFINITY;
    if (v == "-Inf") return -INFINITY;
    return NAN;
  }
  return v.get<double>();
}

std::vector<double> JsonNumbers(const nlohmann::json& array) {
  std::vector<double> out;
  if (!array.is_array()) {
    out.push_back(JsonNumber(array));
    return out;
  }
  for (const auto& v : array) out.push_back(JsonNumber(v));
  return out;
}

::testing::AssertionResult Near(double actual, double expected, double rel, double abs) {
  if (std::isnan(expected) && std::isnan(actual)) return ::testing::AssertionSuccess();
  if (std::isinf(expected) || std::isinf(actual)) {
    if (actual == expected) return ::testing::AssertionSuccess();
  } else if (std::fabs(actual - expected) <=
             rel * std::max(std::fabs(actual), std::fabs(expected)) + abs) {
    return ::testing::AssertionSuccess();
  }
  std::ostringstream msg;
  msg.precision(17);
  msg << "actual " << actual << " vs expected " << expected << " (rel " << rel << ", abs " << abs
      << ")";
  return ::testing::AssertionFailure() << msg.str();
}

::testing::AssertionResult AllNear(const std::vector<double>& actual,
                                   const std::vector<double>& expected, double rel, double abs) {
  if (actual.size() != expected.size()) {
    return ::testing::AssertionFailure()
           << "size " << actual.size() << " vs expected " << expected.size();
  }
  for (size_t i = 0; i < actual.size(); ++i) {
    auto r = Near(actual[i], expected[i], rel, abs);
    if (!r) return ::testing::AssertionFailure() << "at index " << i << ": " << r.message();
  }
  return ::testing::AssertionSuccess();
}

}  // namespace stream::testing
