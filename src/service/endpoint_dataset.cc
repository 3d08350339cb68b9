#include "service/endpoint_dataset.h"

#include "service/history_loader.h"
#include "service/transaction_runner.h"

namespace stream::service {

Result<EndpointKind> ParseEndpointKind(const std::string& name) {
  if (name == "os") return EndpointKind::kOs;
  if (name == "efs") return EndpointKind::kEfs;
  if (name == "rfs") return EndpointKind::kRfs;
  if (name == "cir") return EndpointKind::kCir;
  return Fail(ErrorCode::kInvalidArgument,
              "unknown endpoint '" + name + "'; one of os, efs, rfs, cir", "endpoint");
}

Result<EndpointDataset> DeriveEndpointDataset(Store& store, const Actor& actor,
                                              const std::string& protocol_id, EndpointKind kind,
                                              const EndpointSettings& settings) {
  EndpointDataset data;
  Status s = RunInTransaction(store, TransactionMode::kRead, [&](Transaction& tx) -> Status {
    data = EndpointDataset{};
    STREAM_ASSIGN_OR_RETURN(auto enrolments, tx.ListEnrolments(protocol_id));
    for (const auto& e : enrolments) {
      auto history = LoadHistory(tx, actor, e.patient_id);
      if (!history.ok()) {
        if (history.error().code == ErrorCode::kNotFound) continue;  // another site's patient
        return history.error();
      }
      clinical::EndpointParameters p;
      p.start = e.enrolled_at.date();
      p.landmark_days = settings.landmark_days;
      p.response.report_crh = settings.report_crh;
      p.data_cutoff = settings.data_cutoff;
      clinical::TimeToEvent t;
      switch (kind) {
        case EndpointKind::kOs:
          t = clinical::OverallSurvival(*history, p);
          break;
        case EndpointKind::kEfs:
          t = clinical::EventFreeSurvival(*history, p);
          break;
        case EndpointKind::kRfs:
          t = clinical::RelapseFreeSurvival(*history, p);
          break;
        case EndpointKind::kCir:
          t = clinical::CumulativeIncidenceOfRelapse(*history, p);
          break;
      }
      if (!t.applicable) {
        ++data.not_applicable;
        continue;
      }
      data.rows.push_back({e.patient_id, history->pseudonym, e.arm, t.time, t.event});
    }
    return Ok();
  });
  if (!s.ok()) return s.error();
  return data;
}

}  // namespace stream::service
