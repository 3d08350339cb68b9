// Analysis data sets for `stream analyze`: a CSV file read into typed columns, with R's
// complete-case rule (a row missing a value in any column the analysis uses is dropped
// and counted, as model.frame's na.action = na.omit does).
//
// Contract: ReadAnalysisCsv parses with interop::ParseCsv (RFC 4180; the first row is
// the header). A missing value is an empty field or `NA`. Column accessors return
// kInvalidArgument errors whose `where` is "<file>:<line>" (or the file alone) and whose
// message names the column, e.g. "column 'time': negative value -3". Factor levels come
// from `--group-levels`-style explicit lists, else from `<file>.meta.json` beside the CSV
// (refdata convention: R's level order), else numeric order when every value is a number,
// else byte order of the labels.
//
// Shared by every `analyze` subcommand (km, logrank, rate, and later cox, cif, crr).
// Thread safety: plain values.
#pragma once

#include <CLI/CLI.hpp>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/result.h"
#include "interop/csv.h"
#include "stats/survival_data.h"

namespace stream::cli {

class AnalysisTable {
 public:
  // Reads `path` ("-" for stdin). Errors: unreadable file (kNotFound), CSV syntax
  // (line, column), no header, duplicate column names.
  static Result<AnalysisTable> Read(const std::string& path);
  // Builds a table from CSV text; `source` names it in messages.
  static Result<AnalysisTable> FromText(const std::string& source, std::string_view text);

  const std::string& source() const { return source_; }
  int64_t rows() const { return static_cast<int64_t>(rows_.size()); }
  bool HasColumn(const std::string& name) const { return index_.count(name) > 0; }

  // Levels recorded for `column` in the refdata `.meta.json` beside the CSV, if any.
  std::optional<std::vector<std::string>> MetaLevels(const std::string& column) const;

  // The rows with a value in every one of `columns` (all of which must exist: an
  // unknown column is an error naming it and listing the header). The count of the
  // others is `dropped`.
  struct CompleteCases {
    std::vector<int64_t> rows;  // indices into the table, in file order
    int64_t dropped = 0;
  };
  Result<CompleteCases> Complete(const std::vector<std::string>& columns) const;

  // `column` as numbers over `rows` (which must have values there). Errors name the
  // column and the line of the first text that is not a finite number.
  Result<std::vector<double>> Numbers(const std::string& column,
                                      const std::vector<int64_t>& rows) const;

  // `column` as 0/1 codes (also accepts 0.0/1.0, TRUE/FALSE). Errors name the line.
  Result<std::vector<int>> Binary(const std::string& column,
                                  const std::vector<int64_t>& rows) const;

  // `column` as a factor: codes 0..k-1 into `levels`. `explicit_levels` (non-empty) fixes
  // the order: a value outside it is an error. Every level must have a row: a level
  // without rows (possible with explicit or meta levels) is an error naming it.
  struct Factor {
    std::vector<int> codes;
    std::vector<std::string> levels;
  };
  Result<Factor> Factorize(const std::string& column, const std::vector<int64_t>& rows,
                           const std::vector<std::string>& explicit_levels = {}) const;

  // "<file>:<line>" for a table row.
  std::string Where(int64_t row) const;

 private:
  Result<size_t> Index(const std::string& column) const;
  const std::string& Cell(int64_t row, size_t column) const {
    return rows_[static_cast<size_t>(row)].cells[column];
  }

  std::string source_;
  std::vector<std::string> header_;
  std::map<std::string, size_t> index_;
  std::vector<interop::CsvRow> rows_;
  std::map<std::string, std::vector<std::string>> meta_levels_;
};

// True for the cells R reads as NA: empty or "NA".
bool IsMissing(const std::string& cell);

// Columns naming a right-censored survival analysis (the km/logrank/cox options).
struct SurvivalColumns {
  std::string time = "time";
  std::string event = "status";
  std::string group;   // optional
  std::string strata;  // optional
  std::vector<std::string> group_levels;
};

// Adds --time, --event, --group, --group-levels and --strata to `cmd` (km, logrank, cox);
// `group_levels` receives the comma-separated --group-levels text.
void AddSurvivalColumnOptions(CLI::App* cmd, SurvivalColumns& columns, std::string& group_levels);

// A SurvivalData ready for stats, with the counts R reports.
struct SurvivalInput {
  stats::SurvivalData data;
  int64_t n = 0;                  // rows used
  int64_t n_dropped_missing = 0;  // rows dropped for a missing value in a used column
  std::vector<std::string> group_levels;
  std::vector<std::string> strata_levels;
};

// Reads the survival columns of `table` (complete cases over time, event, group,
// strata). Errors name the column and line: a time that is not a number or is negative,
// an event code other than 0/1, a group level without rows, no rows left.
// Group labels are R's "<column>=<level>".
Result<SurvivalInput> ReadSurvivalInput(const AnalysisTable& table, const SurvivalColumns& columns);

// Splits "a,b,c" into numbers (for --times); errors name `option`.
Result<std::vector<double>> ParseNumberList(const std::string& option, const std::string& text);
// Splits "a,b,c" into trimmed, non-empty labels.
std::vector<std::string> SplitList(const std::string& text);

}  // namespace stream::cli
