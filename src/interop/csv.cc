#include "interop/csv.h"

#include <algorithm>
#include <map>

#include "core/validation.h"

namespace stream::interop {
namespace {

Error CsvError(int line, int column, std::string message) {
  return Fail(ErrorCode::kInvalidArgument, std::move(message),
              "line " + std::to_string(line) + ", column " + std::to_string(column));
}

bool IsPatient(const KindSpec& kind) { return &kind == &PatientKind(); }

}  // namespace

Result<std::vector<CsvRow>> ParseCsv(std::string_view text) {
  std::vector<CsvRow> rows;
  if (text.size() >= 3 && text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);  // BOM
  size_t i = 0;
  int line = 1;
  while (i < text.size()) {
    CsvRow row;
    row.line = line;
    std::string cell;
    int column = 1;
    bool row_done = false;
    while (!row_done) {
      cell.clear();
      if (i < text.size() && text[i] == '"') {
        const int quote_line = line;
        ++i;
        while (true) {
          if (i >= text.size()) return CsvError(quote_line, column, "unterminated quoted field");
          const char c = text[i++];
          if (c == '"') {
            if (i < text.size() && text[i] == '"') {
              cell += '"';
              ++i;
            } else {
              break;
            }
          } else {
            if (c == '\n') ++line;
            cell += c;
          }
        }
        if (i < text.size() && text[i] != ',' && text[i] != '\n' && text[i] != '\r') {
          return CsvError(line, column, "unexpected text after a closing quote");
        }
      } else {
        while (i < text.size() && text[i] != ',' && text[i] != '\n' && text[i] != '\r') {
          if (text[i] == '"') return CsvError(line, column, "a quote inside an unquoted field");
          cell += text[i++];
        }
      }
      row.cells.push_back(cell);
      if (i >= text.size()) {
        row_done = true;
      } else if (text[i] == ',') {
        ++i;
        ++column;
      } else {
        if (text[i] == '\r') ++i;
        if (i < text.size() && text[i] == '\n') ++i;
        ++line;
        row_done = true;
      }
    }
    if (row.cells.size() == 1 && row.cells[0].empty()) continue;  // blank line
    rows.push_back(std::move(row));
  }
  for (const auto& row : rows) {
    if (row.cells.size() != rows.front().cells.size()) {
      return CsvError(row.line,
                      static_cast<int>(std::min(row.cells.size(), rows.front().cells.size())) + 1,
                      "row has " + std::to_string(row.cells.size()) + " cells but the header has " +
                          std::to_string(rows.front().cells.size()));
    }
  }
  return rows;
}

Result<CsvImport> CsvToBatch(const KindSpec& kind, std::string_view text) {
  STREAM_ASSIGN_OR_RETURN(auto rows, ParseCsv(text));
  if (rows.empty()) return CsvError(1, 1, "the file is empty: expected a header row");
  CsvImport out;
  const auto& header = rows.front().cells;
  std::vector<int> field_of_column(header.size(), -1);
  int patient_column = -1;
  out.batch.column_of_field.assign(kind.fields.size(), 0);
  for (size_t c = 0; c < header.size(); ++c) {
    const std::string& name = header[c];
    if (!IsPatient(kind) && name == "patient") {
      patient_column = static_cast<int>(c);
      continue;
    }
    const size_t f = kind.IndexOf(name);
    if (f >= kind.fields.size()) {
      return CsvError(1, static_cast<int>(c) + 1,
                      "unknown column '" + name + "' for " + std::string(kind.name));
    }
    if (out.batch.column_of_field[f] != 0) {
      return CsvError(1, static_cast<int>(c) + 1, "column '" + name + "' appears twice");
    }
    field_of_column[c] = static_cast<int>(f);
    out.batch.column_of_field[f] = static_cast<int>(c) + 1;
  }
  if (!IsPatient(kind) && patient_column < 0) {
    return CsvError(1, 1, "missing column 'patient' (the patient's pseudonym)");
  }
  for (size_t r = 1; r < rows.size(); ++r) {
    service::ImportRow row;
    row.line = rows[r].line;
    row.values.resize(kind.fields.size());
    if (patient_column >= 0) row.patient = rows[r].cells[static_cast<size_t>(patient_column)];
    for (size_t c = 0; c < header.size(); ++c) {
      if (field_of_column[c] < 0) continue;
      const FieldSpec& field = kind.fields[static_cast<size_t>(field_of_column[c])];
      auto value = ParseValue(field, rows[r].cells[c]);
      if (!value.ok()) {
        out.errors.push_back(CsvError(row.line, static_cast<int>(c) + 1,
                                      std::string(field.name) + ": " + value.error().message));
        continue;
      }
      row.values[static_cast<size_t>(field_of_column[c])] = std::move(*value);
    }
    out.batch.rows.push_back(std::move(row));
  }
  return out;
}

std::string CsvCell(std::string_view value) {
  if (value.find_first_of(",\"\n\r") == std::string_view::npos) return std::string(value);
  std::string out = "\"";
  for (char c : value) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
  return out;
}

std::string RecordsToCsv(const KindSpec& kind, const std::vector<Record>& records,
                         const std::vector<std::string>& pseudonyms,
                         std::span<const std::string_view> left_out) {
  std::vector<size_t> columns;
  for (size_t i = 0; i < kind.fields.size(); ++i) {
    if (std::find(left_out.begin(), left_out.end(), kind.fields[i].name) == left_out.end())
      columns.push_back(i);
  }
  std::string out;
  const bool patient_column = !IsPatient(kind);
  if (patient_column) out += "patient,";
  for (size_t c = 0; c < columns.size(); ++c) {
    if (c) out += ',';
    out += kind.fields[columns[c]].name;
  }
  out += '\n';
  for (size_t r = 0; r < records.size(); ++r) {
    if (patient_column) out += CsvCell(r < pseudonyms.size() ? pseudonyms[r] : "") + ",";
    for (size_t c = 0; c < columns.size(); ++c) {
      if (c) out += ',';
      out += CsvCell(ToText(records[r].values[columns[c]]));
    }
    out += '\n';
  }
  return out;
}

}  // namespace stream::interop
