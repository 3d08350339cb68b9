// Site activation per protocol (issue #23): a protocol recruits at a site only between its
// activation (with the approval reference, the date and the protocol version approved
// there) and its suspension or closure. A later activation with a new version is the
// site's approval of an amendment. Every change is stored and audited; the enrolment
// service and screening read the standing (protocol/enrolment_gates.h).
//
// Recruitment status: per site, the standing today, the version in force, and the
// enrolments by version, with those that need re-consent after an amendment that says so.
// Thread-safe if the Store is.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/result.h"
#include "core/store.h"
#include "protocol/enrolment_gates.h"
#include "service/actor.h"
#include "service/protocol_catalogue.h"

namespace stream::service {

struct SiteActivationRequest {
  std::string protocol_id;
  std::string site;
  std::string status;  // active | suspended | closed
  Date effective_on;
  std::string protocol_version;    // active: default the protocol's current version
  std::string approval_reference;  // active: required
  std::string reason;              // suspended, closed: required
};

struct SiteRecruitment {
  std::string site;
  protocol::SiteStanding standing;
  std::map<std::string, int64_t> enrolled_by_version;
  int64_t enrolled = 0;
  int64_t on_study = 0;  // enrolled and not ended
  // Enrolments on study made under an earlier version when the version in force asks for
  // re-consent (its `amendment.reconsent`) and the patient has not yet signed its consent
  // form (`amendment.consent_form`, or any trial consent since the site runs the version):
  // their ids.
  std::vector<int64_t> reconsent_due;
};

struct RecruitmentStatus {
  std::string protocol_id;
  std::string current_version;
  std::vector<std::string> versions;  // loaded, earlier first
  std::map<std::string, int64_t> enrolled_by_version;
  int64_t active_sites = 0;
  std::vector<SiteRecruitment> sites;  // every site of the registry, in code order
};

class SiteActivationService {
 public:
  SiteActivationService(Store& store, const Clock& clock) : store_(store), clock_(clock) {}

  // kManageProtocols. kNotFound for an unknown protocol or site; kInvalidArgument naming
  // the field for a bad status, a missing approval reference or reason, or a version that
  // is not loaded.
  Result<SiteActivation> Change(const Actor& actor, const ProtocolCatalogue& catalogue,
                                SiteActivationRequest request);

  // kReadProtocols. Site roles see only their own site's row.
  Result<RecruitmentStatus> Recruitment(const Actor& actor, const ProtocolCatalogue& catalogue,
                                        const std::string& protocol_id);

  // Every change of the protocol at its sites, in order (kReadProtocols).
  Result<std::vector<SiteActivation>> History(const Actor& actor, const std::string& protocol_id);

 private:
  Store& store_;
  const Clock& clock_;
};

}  // namespace stream::service
