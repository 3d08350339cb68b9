// The gates before enrolment (issue #23): whether a patient may be enrolled in a protocol
// at a site on a day, whatever the eligibility criteria say. Vital and follow-up status
// (dead, lost to follow-up, trial consent withdrawn), co-enrolment with other protocols
// (operations.h), and the protocol's standing at the patient's site (activation,
// suspension, closure, the version approved there).
//
// Pure functions over plain data: the enrolment and screening services load the data in
// one transaction and call these, so the API, the CLI, the browser and imports obey the
// same gates, and the protocol scenario files test them without a database.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/date.h"
#include "core/patient_history.h"
#include "core/store.h"
#include "protocol/protocol.h"
#include "rules/criteria.h"

namespace stream::protocol {

enum class SiteState { kNotActivated, kActive, kSuspended, kClosed };
std::string_view ToString(SiteState state);  // not_activated | active | suspended | closed

// The protocol's standing at one site on one day.
struct SiteStanding {
  SiteState state = SiteState::kNotActivated;
  std::optional<Date> since;       // the day the current state took effect
  std::string version;             // the version approved at the site (latest activation)
  std::string approval_reference;  // of that activation
  std::string reason;              // of a suspension or closure
};

// From a protocol's activation rows (any order; the latest effective row on or before
// `day` decides, ties by id). `version` is that of the latest activation up to `day`.
SiteStanding StandingOn(const std::vector<SiteActivation>& rows, std::string_view protocol_id,
                        std::string_view site, Date day);

// The text a site screens and enrols under (issue #23.4): the version its latest
// activation approved, found by `find`, or `current` when no activation names another.
// When the approved version is not loaded, `protocol` is null and `refusal` says so.
struct VersionInForce {
  const Protocol* protocol = nullptr;
  std::string refusal;
};
using FindVersion = std::function<const Protocol*(const std::string& version)>;
VersionInForce InForceAt(const Protocol& current, const SiteStanding& standing,
                         std::string_view site, const FindVersion& find);

enum class Gate { kVitalStatus, kConsent, kCoEnrolment, kSite };
std::string_view ToString(Gate gate);  // vital_status | consent | co_enrolment | site

struct GateRefusal {
  Gate gate = Gate::kVitalStatus;
  std::string reason;  // one sentence for the site, naming the record that blocks
};

struct GateInput {
  const PatientHistory& patient;
  Date on;
  // The patient's enrolments in every protocol (with their endings); those in `protocol`
  // itself are ignored (the enrolment service refuses a second enrolment on its own).
  const std::vector<Enrolment>& enrolments;
  SiteStanding site;
  // Whether the reader may be told which other enrolment blocks (protocol and date);
  // otherwise the reason says only that another enrolment excludes this one.
  bool name_other_enrolments = true;
};

// Every gate that refuses, in the order vital status, consent (withdrawn, or not on the
// consent form an amendment introduced), co-enrolment, site; empty when the patient may
// be enrolled (eligibility is screened separately).
std::vector<GateRefusal> CheckGates(const Protocol& protocol, const GateInput& input);

// The day from which `site` has run `version` of the protocol without interruption by
// another version's activation (up to `day`), if it runs it.
std::optional<Date> RunningSince(const std::vector<SiteActivation>& rows,
                                 std::string_view protocol_id, std::string_view site,
                                 std::string_view version, Date day);

// Whether a patient enrolled under an earlier version, still on study on `on`, must
// consent again now that the site runs `in_force` (since `since`): its amendment asks for
// re-consent and the patient has no trial consent in force on the amendment's consent
// form (or, when it names none, signed on or after `since`).
bool ReconsentDue(const Protocol& in_force, const Enrolment& enrolment,
                  const PatientHistory& patient, Date since, Date on);

// The stored attestations of one protocol still valid on `on` (the protocol's
// `attestation_valid_days`; none expire without it), the latest per name, overridden by
// `given` (the attestations of the request itself).
rules::Attestations ValidAttestations(const Protocol& protocol,
                                      const std::vector<Attestation>& stored, Date on,
                                      const rules::Attestations& given);

// The criterion whose rule asks for `attested("name")`: its id, or "" when none or several.
std::string CriterionAttesting(const Protocol& protocol, const std::string& name);

}  // namespace stream::protocol
