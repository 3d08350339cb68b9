#include "protocol/enrolment_gates.h"

#include <algorithm>

namespace stream::protocol {
namespace {

bool HasScope(const Consent& c, std::string_view scope) {
  return std::find(c.scope.begin(), c.scope.end(), scope) != c.scope.end();
}

void VitalStatus(const GateInput& in, std::vector<GateRefusal>& out) {
  for (const auto& d : in.patient.deaths) {
    if (d.death_date > in.on) continue;
    out.push_back({Gate::kVitalStatus, "the patient died on " + d.death_date.ToString() +
                                           " (death record of " + d.death_date.ToString() +
                                           (d.cause.empty() ? "" : ", cause " + d.cause) + ")"});
    return;
  }
  const FollowUp* latest = nullptr;
  for (const auto& f : in.patient.follow_ups) {
    if (f.contact_date <= in.on && (!latest || latest->contact_date <= f.contact_date)) latest = &f;
  }
  if (!latest) return;
  if (latest->vital_status == "dead") {
    out.push_back({Gate::kVitalStatus, "the follow-up of " + latest->contact_date.ToString() +
                                           " records the patient as dead"});
  } else if (latest->vital_status == "lost_to_follow_up") {
    out.push_back({Gate::kVitalStatus, "the patient is lost to follow-up (follow-up of " +
                                           latest->contact_date.ToString() + ")"});
  }
}

void ConsentWithdrawn(const GateInput& in, std::vector<GateRefusal>& out) {
  std::optional<Date> withdrawn;
  for (const auto& c : in.patient.consents) {
    if (!HasScope(c, "trial") || c.consent_date > in.on) continue;
    if (!c.withdrawal_date || *c.withdrawal_date > in.on) return;  // a consent still in force
    if (!withdrawn || *withdrawn < *c.withdrawal_date) withdrawn = c.withdrawal_date;
  }
  if (withdrawn) {
    out.push_back({Gate::kConsent,
                   "consent to trial participation was withdrawn on " + withdrawn->ToString()});
  }
}

bool ConsentInForce(const Consent& c, Date on) {
  return HasScope(c, "trial") && c.consent_date <= on &&
         (!c.withdrawal_date || *c.withdrawal_date > on);
}

// An amendment that changes the consent form: a patient whose trial consent in force is
// on another form cannot be enrolled under this version until they sign the new one.
void ConsentForm(const Protocol& p, const GateInput& in, std::vector<GateRefusal>& out) {
  if (!p.operations.amendment || p.operations.amendment->consent_form.empty()) return;
  const std::string& form = p.operations.amendment->consent_form;
  const Consent* latest = nullptr;
  for (const auto& c : in.patient.consents) {
    if (!ConsentInForce(c, in.on)) continue;
    if (c.form_version == form) return;
    if (!latest || latest->consent_date <= c.consent_date) latest = &c;
  }
  if (!latest) return;  // no trial consent at all: the enrolment says so itself
  out.push_back({Gate::kConsent, "version " + p.version + " of " + p.id + " uses consent form " +
                                     form + "; the patient's trial consent of " +
                                     latest->consent_date.ToString() + " is on form " +
                                     latest->form_version});
}

void CoEnrolment(const Protocol& p, const GateInput& in, std::vector<GateRefusal>& out) {
  for (const auto& e : in.enrolments) {
    if (e.protocol_id == p.id || e.voided) continue;
    const auto rule =
        std::find_if(p.operations.co_enrolment.begin(), p.operations.co_enrolment.end(),
                     [&](const CoEnrolmentExclusion& x) { return x.protocol_id == e.protocol_id; });
    if (rule == p.operations.co_enrolment.end()) continue;
    const Date enrolled = e.enrolled_at.date();
    if (enrolled > in.on) continue;
    const std::string named = in.name_other_enrolments
                                  ? "the patient is enrolled in " + e.protocol_id + " (enrolment " +
                                        std::to_string(e.id) + " of " + enrolled.ToString() + ")"
                                  : "the patient is enrolled in another protocol";
    if (!e.off_study_date || *e.off_study_date > in.on) {
      out.push_back({Gate::kCoEnrolment,
                     named + ", which " + p.id + " excludes while the patient is on study"});
    } else if (in.on < e.off_study_date->AddDays(rule->washout_days)) {
      out.push_back(
          {Gate::kCoEnrolment, named + ", off study on " + e.off_study_date->ToString() + "; " +
                                   p.id + " needs " + std::to_string(rule->washout_days) +
                                   " days after leaving it, until " +
                                   e.off_study_date->AddDays(rule->washout_days).ToString()});
    }
  }
}

void Site(const Protocol& p, const GateInput& in, std::vector<GateRefusal>& out) {
  const std::string at = p.id + " at site " + (in.patient.site.empty() ? "?" : in.patient.site);
  switch (in.site.state) {
    case SiteState::kActive:
      return;
    case SiteState::kNotActivated:
      out.push_back({Gate::kSite, at + " is not activated" +
                                      (in.site.since ? "" : " (no approval recorded)") +
                                      ": enrolment opens when the site is activated"});
      return;
    case SiteState::kSuspended:
      out.push_back({Gate::kSite, at + " is suspended since " + in.site.since->ToString() +
                                      (in.site.reason.empty() ? "" : " (" + in.site.reason + ")")});
      return;
    case SiteState::kClosed:
      out.push_back({Gate::kSite, at + " is closed since " + in.site.since->ToString() +
                                      (in.site.reason.empty() ? "" : " (" + in.site.reason + ")")});
      return;
  }
}

}  // namespace

std::string_view ToString(SiteState state) {
  switch (state) {
    case SiteState::kNotActivated:
      return "not_activated";
    case SiteState::kActive:
      return "active";
    case SiteState::kSuspended:
      return "suspended";
    case SiteState::kClosed:
      return "closed";
  }
  return "not_activated";
}

std::string_view ToString(Gate gate) {
  switch (gate) {
    case Gate::kVitalStatus:
      return "vital_status";
    case Gate::kConsent:
      return "consent";
    case Gate::kCoEnrolment:
      return "co_enrolment";
    case Gate::kSite:
      return "site";
  }
  return "site";
}

SiteStanding StandingOn(const std::vector<SiteActivation>& rows, std::string_view protocol_id,
                        std::string_view site, Date day) {
  const SiteActivation* decides = nullptr;
  const SiteActivation* activation = nullptr;
  auto later = [](const SiteActivation* a, const SiteActivation& b) {
    return !a || a->effective_on < b.effective_on ||
           (a->effective_on == b.effective_on && a->id < b.id);
  };
  for (const auto& r : rows) {
    if (r.protocol_id != protocol_id || r.site != site || r.effective_on > day) continue;
    if (later(decides, r)) decides = &r;
    if (r.status == "active" && later(activation, r)) activation = &r;
  }
  SiteStanding out;
  if (!decides) return out;
  out.since = decides->effective_on;
  out.state = decides->status == "active"      ? SiteState::kActive
              : decides->status == "suspended" ? SiteState::kSuspended
                                               : SiteState::kClosed;
  if (out.state != SiteState::kActive) out.reason = decides->reason;
  if (activation) {
    out.version = activation->protocol_version;
    out.approval_reference = activation->approval_reference;
  }
  return out;
}

VersionInForce InForceAt(const Protocol& current, const SiteStanding& standing,
                         std::string_view site, const FindVersion& find) {
  if (standing.version.empty() || standing.version == current.version) return {&current, ""};
  if (const Protocol* p = find ? find(standing.version) : nullptr) return {p, ""};
  return {nullptr, "site " + std::string(site) + " is approved for version " + standing.version +
                       " of " + current.id + ", which is not loaded"};
}

std::vector<GateRefusal> CheckGates(const Protocol& protocol, const GateInput& input) {
  std::vector<GateRefusal> out;
  VitalStatus(input, out);
  ConsentWithdrawn(input, out);
  if (out.empty() || out.back().gate != Gate::kConsent) ConsentForm(protocol, input, out);
  CoEnrolment(protocol, input, out);
  Site(protocol, input, out);
  return out;
}

std::optional<Date> RunningSince(const std::vector<SiteActivation>& rows,
                                 std::string_view protocol_id, std::string_view site,
                                 std::string_view version, Date day) {
  std::vector<const SiteActivation*> activations;
  for (const auto& r : rows) {
    if (r.protocol_id == protocol_id && r.site == site && r.status == "active" &&
        r.effective_on <= day)
      activations.push_back(&r);
  }
  std::sort(activations.begin(), activations.end(), [](const auto* a, const auto* b) {
    return a->effective_on != b->effective_on ? a->effective_on < b->effective_on : a->id < b->id;
  });
  std::optional<Date> since;  // the start of the latest unbroken run of `version`
  for (const auto* a : activations) {
    if (a->protocol_version != version) {
      since.reset();
    } else if (!since) {
      since = a->effective_on;
    }
  }
  return since;
}

bool ReconsentDue(const Protocol& in_force, const Enrolment& enrolment,
                  const PatientHistory& patient, Date since, Date on) {
  const auto& amendment = in_force.operations.amendment;
  if (!amendment || !amendment->reconsent || enrolment.protocol_version == in_force.version)
    return false;
  if (enrolment.off_study_date && *enrolment.off_study_date <= on) return false;
  for (const auto& c : patient.consents) {
    if (!ConsentInForce(c, on)) continue;
    if (amendment->consent_form.empty() ? c.consent_date >= since
                                        : c.form_version == amendment->consent_form)
      return false;
  }
  return true;
}

rules::Attestations ValidAttestations(const Protocol& protocol,
                                      const std::vector<Attestation>& stored, Date on,
                                      const rules::Attestations& given) {
  rules::Attestations out;
  const auto valid_days = protocol.operations.attestation_valid_days;
  for (const auto& a : stored) {  // in id order: a later attestation replaces an earlier one
    if (a.protocol_id != protocol.id || a.attested_on > on) continue;
    if (valid_days && on >= a.attested_on.AddDays(*valid_days)) {
      out.erase(a.name);
      continue;
    }
    out[a.name] = a.value;
  }
  for (const auto& [name, value] : given) out[name] = value;
  return out;
}

std::string CriterionAttesting(const Protocol& protocol, const std::string& name) {
  const std::string call = "attested(\"" + name + "\")";
  std::string found;
  for (const auto& c : protocol.criteria) {
    if (c.rule.source().find(call) == std::string::npos) continue;
    if (!found.empty()) return "";
    found = c.id;
  }
  return found;
}

}  // namespace stream::protocol
