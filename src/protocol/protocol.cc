// A loaded protocol at work: the names of its enums, arm lookup, and screening a patient
// against its criteria, assignment list and stratification factors (protocol.h). Loading
// the file is in protocol_loader.cc.
#include "protocol/protocol.h"

#include <algorithm>

namespace stream::protocol {

std::string_view ToString(EndpointDefinition definition) {
  switch (definition) {
    case EndpointDefinition::kOs:
      return "os";
    case EndpointDefinition::kEfs:
      return "efs";
    case EndpointDefinition::kRfs:
      return "rfs";
    case EndpointDefinition::kCir:
      return "cir";
    case EndpointDefinition::kCrcRate:
      return "crc_rate";
    case EndpointDefinition::kOrr:
      return "orr";
    case EndpointDefinition::kMrdNegativeCrRate:
      return "mrd_negative_cr_rate";
    case EndpointDefinition::kEarlyDeath30:
      return "early_death_30";
    case EndpointDefinition::kEarlyDeath60:
      return "early_death_60";
    case EndpointDefinition::kRemissionSpan:
      return "remission_span";
  }
  return "?";
}

std::string_view ToString(EndpointOrigin origin) {
  switch (origin) {
    case EndpointOrigin::kEnrolment:
      return "enrolment";
    case EndpointOrigin::kRegistration:
      return "registration";
    case EndpointOrigin::kDiagnosis:
      return "diagnosis";
    case EndpointOrigin::kRemission:
      return "remission";
  }
  return "?";
}

std::string_view ToString(EndpointPopulation population) {
  switch (population) {
    case EndpointPopulation::kAll:
      return "all";
    case EndpointPopulation::kReachedRemission:
      return "reached_remission";
    case EndpointPopulation::kInRemissionAtOrigin:
      return "in_remission_at_origin";
  }
  return "?";
}

std::string_view ToString(ArmStatus status) {
  switch (status) {
    case ArmStatus::kOpen:
      return "open";
    case ArmStatus::kClosed:
      return "closed";
    case ArmStatus::kSuspended:
      return "suspended";
  }
  return "?";
}

std::string_view ToString(RandomisationMethod method) {
  return method == RandomisationMethod::kPermutedBlocks ? "permuted_blocks" : "minimisation";
}

const Arm* Protocol::FindArm(std::string_view arm_id) const {
  for (const auto& a : arms) {
    if (a.id == arm_id) return &a;
  }
  return nullptr;
}

Result<Screening> Screen(const Protocol& protocol, const PatientHistory& patient, Date on,
                         const rules::Attestations& attestations, rules::Evaluator& evaluator) {
  Screening s;
  bool any_unknown = false, any_fail = false;
  for (const auto& c : protocol.criteria) {
    STREAM_ASSIGN_OR_RETURN(rules::Evaluation e,
                            evaluator.Evaluate(c.rule, patient, on, attestations, c.options));
    rules::Verdict q = e.verdict;
    if (c.kind == CriterionKind::kExclusion && q != rules::Verdict::kUnknown) {
      q = q == rules::Verdict::kMet ? rules::Verdict::kNotMet : rules::Verdict::kMet;
    }
    any_unknown |= q == rules::Verdict::kUnknown;
    any_fail |= q == rules::Verdict::kNotMet;
    s.criteria.push_back({&c, std::move(e), q});
  }
  s.eligible = any_fail      ? rules::Verdict::kNotMet
               : any_unknown ? rules::Verdict::kUnknown
                             : rules::Verdict::kMet;
  return s;
}

Result<AssignmentOutcome> Assign(const Protocol& protocol, const PatientHistory& patient, Date on,
                                 const rules::Attestations& attestations,
                                 rules::Evaluator& evaluator) {
  AssignmentOutcome out;
  for (const auto& a : protocol.assignment) {
    STREAM_ASSIGN_OR_RETURN(rules::Evaluation e,
                            evaluator.Evaluate(a.rule, patient, on, attestations));
    if (e.verdict == rules::Verdict::kMet) {
      if (out.undecided.empty()) out.assignment = &a;
      return out;
    }
    if (e.verdict == rules::Verdict::kUnknown) {
      out.undecided.push_back(&a);
      for (auto& m : e.missing) {
        if (std::find(out.missing.begin(), out.missing.end(), m) == out.missing.end()) {
          out.missing.push_back(std::move(m));
        }
      }
    }
  }
  return out;
}

Result<FactorOutcome> ClassifyFactor(const Factor& factor, const PatientHistory& patient, Date on,
                                     const rules::Attestations& attestations,
                                     rules::Evaluator& evaluator) {
  FactorOutcome out;
  if (factor.by_site) {
    out.verdict = rules::Verdict::kMet;
    out.level = patient.site;
    return out;
  }
  bool undecided = false;
  for (const auto& l : factor.levels) {
    STREAM_ASSIGN_OR_RETURN(rules::Evaluation e,
                            evaluator.Evaluate(l.rule, patient, on, attestations));
    if (e.verdict == rules::Verdict::kMet) {
      if (!undecided) {
        out.verdict = rules::Verdict::kMet;
        out.level = l.level;
      }
      return out;
    }
    if (e.verdict == rules::Verdict::kUnknown) {
      undecided = true;
      for (auto& m : e.missing) {
        if (std::find(out.missing.begin(), out.missing.end(), m) == out.missing.end()) {
          out.missing.push_back(std::move(m));
        }
      }
    }
  }
  out.verdict = undecided ? rules::Verdict::kUnknown : rules::Verdict::kNotMet;
  return out;
}

}  // namespace stream::protocol
