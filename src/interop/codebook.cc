#include "interop/codebook.h"

#include <sstream>
#include <vector>

#include "core/schema.h"
#include "interop/csv.h"
#include "service/access_policy.h"

namespace stream::interop {
namespace {

std::string Number(const std::optional<double>& v) {
  if (!v) return "";
  std::ostringstream out;
  out << *v;
  return out.str();
}

std::string Row(const std::vector<std::string>& cells) {
  std::string line;
  for (size_t i = 0; i < cells.size(); ++i) {
    if (i) line += ',';
    line += CsvCell(cells[i]);
  }
  return line + "\n";
}

// The roles that may see the field, separated by " | " (service/access_policy.h).
std::string SeenBy(const FieldSpec& f) {
  std::string out;
  for (const auto& role : service::RolesSeeing(f.audience))
    out += (out.empty() ? "" : " | ") + role;
  return out;
}

void Kind(std::string& out, const KindSpec& kind) {
  for (const auto& f : kind.fields) {
    std::string codes;
    std::string labels;
    for (auto c : f.codes) {
      codes += (codes.empty() ? "" : " | ") + std::string(c);
      labels += (labels.empty() ? "" : " | ") + std::string(c) + "=" + std::string(CodeLabel(c));
    }
    out += Row({std::string(kind.name), std::string(kind.table), std::string(f.name),
                std::string(ToString(f.type)), f.required ? "yes" : "no", std::string(f.unit),
                Number(f.min), Number(f.max),
                f.format == TextFormat::kFree ? "" : std::string(ToString(f.format)),
                std::string(f.code_system), codes, labels, std::string(f.description), SeenBy(f)});
  }
}

}  // namespace

std::string CodebookCsv() {
  std::string out =
      Row({"kind", "table", "field", "type", "required", "unit", "minimum", "maximum", "format",
           "code_system", "codes", "code_labels", "description", "seen_by"});
  Kind(out, PatientKind());
  for (const auto& kind : RecordKinds()) Kind(out, kind);
  return out;
}

}  // namespace stream::interop
