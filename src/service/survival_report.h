// The survival view of one time-to-event endpoint of a protocol, by arm: Kaplan–Meier
// curves with log-transformed 95 % pointwise limits (R survfit's default), medians with
// their limits and the log-rank test for os, efs and rfs; for cir the Aalen–Johansen
// cumulative incidence of relapse (death without relapse competing; R survfit with a
// factor status, log limits — the same estimate as cmprsk::cuminc that `stream analyze
// endpoint` reports) with Gray's test. Numbers come from src/stats unchanged.
//
// Access: kReadAllocations, site isolation as DeriveEndpointDataset; blinded readers
// (HidesArms) get one pooled arm kBlindedArm and no test. Thread-safe if the Store is.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/result.h"
#include "core/store.h"
#include "protocol/protocol.h"
#include "service/actor.h"
#include "service/endpoint_dataset.h"

namespace stream::service {

struct CurvePoint {
  double time = 0;
  double estimate = 0;                 // survival, or cumulative incidence of relapse
  std::optional<double> lower, upper;  // absent where R reports NA
  int64_t at_risk = 0, events = 0, censored = 0;
  int64_t competing = 0;  // cir: deaths without relapse at this time
};

struct ArmCurve {
  std::string arm;
  std::string name;
  int64_t n = 0;
  int64_t events = 0;                                        // cir: relapses
  int64_t competing = 0;                                     // cir: deaths without relapse
  std::optional<double> median, median_lower, median_upper;  // survival only; absent: not reached
  // A first point at time 0, then one per distinct time; empty when the arm has no rows.
  std::vector<CurvePoint> curve;
};

struct AtRiskTable {
  std::vector<double> times;                 // 0, step, 2·step, … covering the longest time
  std::vector<std::vector<int64_t>> counts;  // per arm (in ArmCurve order), per time
};

struct GroupTest {
  double chisq = 0;
  int df = 0;
  double p = 1;
};

struct SurvivalReport {
  const protocol::Endpoint* endpoint = nullptr;  // into the protocol passed
  EndpointKind kind = EndpointKind::kOs;
  double conf_level = 0.95;
  bool blinded = false;
  std::vector<ArmCurve> arms;
  AtRiskTable at_risk;
  std::optional<GroupTest> test;  // log-rank (Gray's for cir); absent with fewer than 2 arms
  int64_t not_applicable = 0;
  int64_t analysed = 0;                                   // rows of the dataset
  std::vector<std::pair<std::string, int64_t>> excluded;  // why the others were left out
};

// The step of the number-at-risk table: the smallest of 30, 90, 180, 365, 730, 1095,
// 1825 days that covers `longest` in at most 8 steps (1825 beyond that).
double AtRiskStep(double longest);

// The pure part: curves, table and test of `data` for the arms given as (id, name), in
// that order; rows of other arms are ignored.
Result<SurvivalReport> AnalyseEndpoint(
    const EndpointDataset& data, EndpointKind kind,
    const std::vector<std::pair<std::string, std::string>>& arms);

// The endpoint with id `endpoint_id`, or when empty the first time-to-event endpoint
// (primary first). kInvalidArgument (where "endpoint") for an unknown id, a response or
// early-death endpoint, or a protocol without a time-to-event endpoint.
Result<const protocol::Endpoint*> FindTimeToEventEndpoint(const protocol::Protocol& protocol,
                                                          const std::string& endpoint_id);

Result<SurvivalReport> BuildSurvivalReport(Store& store, const Actor& actor,
                                           const protocol::Protocol& protocol,
                                           const std::string& endpoint_id);

}  // namespace stream::service
