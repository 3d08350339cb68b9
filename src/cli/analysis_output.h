// Output of `stream analyze`: the --format / --output options every analysis shares,
// JSON numbers by the refdata conventions, CSV tables, and the all-or-nothing write.
//
// Contract: an analysis renders its whole result in memory first; EmitAnalysis then
// writes it with WriteOutput (atomic: nothing is left at --output on any error) and
// returns the exit code. JSON numbers: NaN becomes null (R's NA), ±Inf the strings
// "Inf"/"-Inf"; finite doubles print in the shortest form that reads back identically.
// Thread safety: plain functions.
#pragma once

#include <CLI/CLI.hpp>
#include <cstdint>
#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/result.h"

namespace stream::cli {

// JSON objects keep their fields in insertion order (type and counts first).
using Json = nlohmann::ordered_json;

enum class OutputFormat { kJson, kCsv, kSvg };

struct OutputOptions {
  OutputFormat format = OutputFormat::kJson;
  std::string output;  // "" or "-": standard output
};

// Adds --format (json|csv, plus svg when `svg` is true) and --output to `cmd`.
void AddOutputOptions(CLI::App* cmd, OutputOptions& options, bool svg);

// One renderer per format; an empty function means the format is not offered.
struct Renderers {
  std::function<Result<std::string>()> json;
  std::function<Result<std::string>()> csv;
  std::function<Result<std::string>()> svg;
};

// Renders in the chosen format and writes it; reports any error on stderr.
// Returns kExitOk, kExitInvalid (bad input) or kExitFailure.
int EmitAnalysis(const OutputOptions& options, const Renderers& renderers);

// Reports `error` and returns its exit code (ReportError), for a failed analysis step.
int AnalysisFailed(const Error& error);

// A JSON number by the refdata conventions.
Json JsonNumber(double value);
Json JsonNumbers(const std::vector<double>& values);
Json JsonCounts(const std::vector<int64_t>& values);
// JSON text, pretty-printed, with a final newline.
std::string JsonText(const Json& value);

// A CSV cell for a number: shortest round-trip form, "" for NaN (NA), "Inf"/"-Inf".
std::string CsvNumber(double value);

// A CSV table built row by row; cells are quoted when needed (interop::CsvCell).
class CsvTable {
 public:
  explicit CsvTable(std::vector<std::string> header);
  void AddRow(const std::vector<std::string>& cells);
  const std::string& text() const { return text_; }

 private:
  void Append(const std::vector<std::string>& cells);
  size_t width_;
  std::string text_;
};

}  // namespace stream::cli
