// ExportService::ExportDerived: the disease course and genetic risk of every patient the
// actor may see, one row each, for exports beside the entered records.
#include "clinical/disease_course.h"
#include "clinical/eln2022_genetic_risk.h"
#include "core/consent_scope.h"
#include "service/export_service.h"
#include "service/history_batch.h"
#include "service/transaction_runner.h"

namespace stream::service {
namespace {

std::string Text(const std::optional<Date>& d) { return d ? d->ToString() : ""; }

DerivedRow RowOf(const PatientHistory& h, Date as_of) {
  const auto s = clinical::DiseaseStateAsOf(h, as_of);
  DerivedRow row;
  row.patient = h.pseudonym;
  row.rules = std::string(clinical::ToCode(s.rules));
  if (s.state) row.disease_state = std::string(clinical::ToCode(*s.state));
  row.state_since = Text(s.since);
  row.remission_date = Text(s.remission_date);
  row.mrd_status = s.mrd_status;
  row.mrd_relapse = s.mrd_relapse;
  row.mrd_relapse_date = Text(s.mrd_relapse_date);
  row.last_transplant = Text(s.last_transplant);
  row.death_date = Text(s.death_date);
  row.lost_to_follow_up = s.lost_to_follow_up;
  if (!h.diagnoses.empty() && h.diagnoses.back().disease == "aml") {
    const auto risk = clinical::ClassifyEln2022GeneticRisk(h, as_of);
    row.eln2022_risk = risk.category == clinical::GeneticRisk::kUnknown
                           ? "undecided"
                           : std::string(clinical::ToString(risk.category));
  }
  for (const auto& a : h.responses) {
    if (a.assessment_date > as_of || !a.eln2022_category) continue;
    const auto reading = clinical::ReadAssessment(a, s.rules);
    const std::string derived = reading.state ? std::string(clinical::ToCode(*reading.state))
                                : reading.has_disease ? "no_response"
                                                      : "";
    if (!derived.empty() && derived != *a.eln2022_category) ++row.assessments_disagreeing;
  }
  return row;
}

}  // namespace

Result<std::vector<DerivedRow>> ExportService::ExportDerived(const Actor& actor,
                                                             const std::string& study, Date as_of) {
  STREAM_ASSIGN_OR_RETURN(const bool pseudonymise, ExportPseudonymised(actor, study));
  return RunInTransaction<std::vector<DerivedRow>>(
      store_, TransactionMode::kRead, [&](Transaction& tx) -> Result<std::vector<DerivedRow>> {
        STREAM_ASSIGN_OR_RETURN(auto histories, LoadVisibleHistories(tx, actor));
        std::vector<DerivedRow> rows;
        rows.reserve(histories.size());
        for (const auto& h : histories) {
          // Registry consent withdrawn: the state as it stood before the withdrawal.
          const auto withdrawn = ConsentWithdrawnFrom(h.consents, "registry");
          rows.push_back(RowOf(withdrawn ? HistoryAtWithdrawal(h, *withdrawn) : h, as_of));
          if (pseudonymise) rows.back().patient = pseudonyms_.For(study, rows.back().patient);
        }
        return rows;
      });
}

Result<std::vector<std::pair<std::string, Attestation>>> ExportService::ExportAttestations(
    const Actor& actor, const std::string& study) {
  STREAM_ASSIGN_OR_RETURN(const bool pseudonymise, ExportPseudonymised(actor, study));
  using Rows = std::vector<std::pair<std::string, Attestation>>;
  return RunInTransaction<Rows>(
      store_, TransactionMode::kRead, [&](Transaction& tx) -> Result<Rows> {
        STREAM_ASSIGN_OR_RETURN(auto histories, LoadVisibleHistories(tx, actor));
        Rows rows;
        for (const auto& h : histories) {
          STREAM_ASSIGN_OR_RETURN(auto attestations, tx.ListAttestations(h.id));
          const std::string name = pseudonymise ? pseudonyms_.For(study, h.pseudonym) : h.pseudonym;
          for (auto& a : attestations) {
            if (pseudonymise) a.patient_id = 0;
            rows.emplace_back(name, std::move(a));
          }
        }
        return rows;
      });
}

}  // namespace stream::service
