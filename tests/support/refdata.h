// Access to ../shared/refdata: R's datasets and R's outputs on them.
#pragma once

#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace stream::testing {

// Absolute path of a file under shared/refdata, e.g. RefdataPath("datasets/aml.csv").
std::string RefdataPath(const std::string& relative);

// Parses an expected-output file, e.g. LoadExpected("aml.km.json").
nlohmann::json LoadExpected(const std::string& name);

// A dataset as columns of text (NA and empty fields are nullopt), in file order.
struct Dataset {
  std::vector<std::string> names;
  std::map<std::string, std::vector<std::optional<std::string>>> columns;
  size_t rows = 0;

  // Column as doubles; NA becomes NaN. Precondition: the column exists.
  std::vector<double> Numbers(const std::string& name) const;
  std::vector<std::string> Texts(const std::string& name) const;
};
Dataset LoadDataset(const std::string& name);  // e.g. "aml" reads datasets/aml.csv

// A JSON number, or NaN for null and ±Inf for "Inf"/"-Inf".
double JsonNumber(const nlohmann::json& v);
std::vector<double> JsonNumbers(const nlohmann::json& array);

// Relative-error comparison used by the statistics tests: |a-b| <= rel*max(|a|,|b|) + abs.
// NaN equals NaN (R's NA), infinities must match exactly.
::testing::AssertionResult Near(double actual, double expected, double rel, double abs = 0.0);
::testing::AssertionResult AllNear(const std::vector<double>& actual,
                                   const std::vector<double>& expected, double rel,
                                   double abs = 0.0);

}  // namespace stream::testing
