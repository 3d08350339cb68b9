#include "cli/analysis_output.h"

#include <charconv>
#include <cmath>
#include <map>

#include "cli/cli_context.h"
#include "interop/csv.h"

namespace stream::cli {

void AddOutputOptions(CLI::App* cmd, OutputOptions& options, bool svg) {
  std::map<std::string, OutputFormat> formats = {{"json", OutputFormat::kJson},
                                                 {"csv", OutputFormat::kCsv}};
  if (svg) formats["svg"] = OutputFormat::kSvg;
  cmd->add_option("--format", options.format,
                  svg ? "Output format: json (default), csv or svg (plot)"
                      : "Output format: json (default) or csv")
      ->transform(CLI::CheckedTransformer(formats, CLI::ignore_case));
  cmd->add_option("--output,-o", options.output,
                  "Write the result to this file (atomically) instead of standard output");
}

int AnalysisFailed(const Error& error) { return ReportError(error); }

int EmitAnalysis(const OutputOptions& options, const Renderers& renderers) {
  const std::function<Result<std::string>()>* render = nullptr;
  const char* name = "json";
  switch (options.format) {
    case OutputFormat::kJson:
      render = &renderers.json;
      break;
    case OutputFormat::kCsv:
      render = &renderers.csv;
      name = "csv";
      break;
    case OutputFormat::kSvg:
      render = &renderers.svg;
      name = "svg";
      break;
  }
  if (!*render) {
    return ReportError(Fail(ErrorCode::kInvalidArgument,
                            std::string("this analysis has no ") + name + " output", "--format"));
  }
  auto text = (*render)();
  if (!text.ok()) return ReportError(text.error());
  auto written = WriteOutput(options.output, *text);
  if (!written.ok()) return ReportError(written.error());
  return kExitOk;
}

Json JsonNumber(double value) {
  if (std::isnan(value)) return nullptr;
  if (std::isinf(value)) return value > 0 ? "Inf" : "-Inf";
  return value;
}

Json JsonNumbers(const std::vector<double>& values) {
  auto array = Json::array();
  for (double v : values) array.push_back(JsonNumber(v));
  return array;
}

Json JsonCounts(const std::vector<int64_t>& values) {
  auto array = Json::array();
  for (int64_t v : values) array.push_back(v);
  return array;
}

std::string JsonText(const Json& value) { return value.dump(2) + "\n"; }

std::string CsvNumber(double value) {
  if (std::isnan(value)) return "";
  if (std::isinf(value)) return value > 0 ? "Inf" : "-Inf";
  char buf[32];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, value);
  return ec == std::errc() ? std::string(buf, end) : std::string();
}

CsvTable::CsvTable(std::vector<std::string> header) : width_(header.size()) { Append(header); }

void CsvTable::AddRow(const std::vector<std::string>& cells) { Append(cells); }

void CsvTable::Append(const std::vector<std::string>& cells) {
  for (size_t i = 0; i < width_; ++i) {
    if (i > 0) text_ += ',';
    if (i < cells.size()) text_ += interop::CsvCell(cells[i]);
  }
  text_ += '\n';
}

}  // namespace stream::cli
