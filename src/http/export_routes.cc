// Exports of one record kind as CSV or JSON.
#include "http/routes.h"
#include "interop/csv.h"
#include "interop/derived_csv.h"
#include "interop/record_json.h"
#include "service/access_policy.h"

namespace stream::http {
namespace {

constexpr const char* kStudyDescription =
    "the study keying statisticians' pseudonyms: a protocol id, or 'registry' for the "
    "registry itself; required for statisticians";

// The ?study= of an export: "" when absent, else 'registry' or a protocol's id. A typo
// would silently key the pseudonyms by another study and break their linkage, so an
// unknown study is refused.
Result<std::string> Study(const Call& c) {
  const std::string study = c.request.Query("study").value_or("");
  if (study.empty() || study == "registry") return study;
  // A role that may not export hears 403 from the export itself, whatever the study.
  if (!service::Allows(c.actor.role, service::Permission::kExport)) return study;
  auto catalogue = c.services.protocols.Current();
  if (!catalogue->Find(study)) {
    return Fail(ErrorCode::kInvalidArgument,
                "no protocol '" + study + "': a study is a protocol id or 'registry'", "study");
  }
  return study;
}

}  // namespace

void AddExportRoutes(std::vector<Route>& routes) {
  routes.push_back(
      {"GET",
       "/api/v1/exports/{kind}",
       "exports",
       "Every record of one kind you may see, as CSV or JSON (statisticians: per-study "
       "pseudonyms)",
       false,
       {{"format", "string", "csv (default) or json"}, {"study", "string", kStudyDescription}},
       "",
       "text/csv",
       [](Call& c) -> Result<Reply> {
         const std::string name = c.params.at("kind");
         const KindSpec* kind = name == "patient" ? &PatientKind() : FindKind(name);
         if (!kind) return Fail(ErrorCode::kNotFound, "no record kind '" + name + "'", "kind");
         const std::string format = c.request.Query("format").value_or("csv");
         if (format != "csv" && format != "json")
           return Fail(ErrorCode::kInvalidArgument, "expected csv or json", "format");
         STREAM_ASSIGN_OR_RETURN(const std::string study, Study(c));
         STREAM_ASSIGN_OR_RETURN(auto table, c.services.exports.Export(c.actor, *kind, study));
         Reply r;
         if (format == "csv") {
           r.text = interop::RecordsToCsv(
               *kind, table.records,
               &*kind == &PatientKind() ? std::vector<std::string>() : table.patients,
               table.withheld_fields);
           r.content_type = "text/csv; charset=utf-8";
           r.headers.emplace_back("Content-Disposition",
                                  "attachment; filename=\"" + name + ".csv\"");
           r.headers.emplace_back("X-Withheld-After-Consent-Withdrawal",
                                  std::to_string(table.withheld));
           return r;
         }
         nlohmann::json items = nlohmann::json::array();
         for (size_t i = 0; i < table.records.size(); ++i) {
           nlohmann::json row = interop::RecordToJson(*kind, table.records[i]);
           if (table.pseudonymised) {
             row.erase("id");
             row.erase("patient_id");
           }
           if (kind != &PatientKind()) row["patient"] = table.patients[i];
           items.push_back(std::move(row));
         }
         return Reply::Json({{"kind", name},
                             {"items", items},
                             {"withheld_after_consent_withdrawal", table.withheld}});
       }});
  routes.push_back(
      {"GET",
       "/api/v1/exports/derived/disease-course",
       "exports",
       "Every patient you may see with the derived disease state, MRD, transplant, vital "
       "status and ELN 2022 genetic risk on a date, as CSV (docs/clinical-rules.md)",
       false,
       {{"as_of", "string", "YYYY-MM-DD (default today)"}, {"study", "string", kStudyDescription}},
       "",
       "text/csv",
       [](Call& c) -> Result<Reply> {
         Date as_of = c.services.clock.Now().date();
         if (const auto text = c.request.Query("as_of"); text && !text->empty()) {
           const auto parsed = Date::Parse(*text);
           if (!parsed)
             return Fail(ErrorCode::kInvalidArgument, "expected a date YYYY-MM-DD", "as_of");
           as_of = *parsed;
         }
         STREAM_ASSIGN_OR_RETURN(const std::string study, Study(c));
         STREAM_ASSIGN_OR_RETURN(auto rows,
                                 c.services.exports.ExportDerived(c.actor, study, as_of));
         Reply r;
         r.text = interop::DerivedToCsv(rows, as_of);
         r.content_type = "text/csv; charset=utf-8";
         r.headers.emplace_back("Content-Disposition",
                                "attachment; filename=\"disease-course.csv\"");
         return r;
       }});
  routes.push_back(
      {"GET",
       "/api/v1/exports/derived/attestations",
       "exports",
       "Every site attestation of the patients you may see, as CSV: who attested what, when, "
       "for which protocol version and criterion",
       false,
       {{"study", "string", kStudyDescription}},
       "",
       "text/csv",
       [](Call& c) -> Result<Reply> {
         STREAM_ASSIGN_OR_RETURN(const std::string study, Study(c));
         STREAM_ASSIGN_OR_RETURN(auto rows, c.services.exports.ExportAttestations(c.actor, study));
         Reply r;
         r.text = interop::AttestationsToCsv(rows);
         r.content_type = "text/csv; charset=utf-8";
         r.headers.emplace_back("Content-Disposition", "attachment; filename=\"attestations.csv\"");
         return r;
       }});
}

}  // namespace stream::http
