// Consent by scope (issue #15.7): from which date a patient's data may no longer be used
// for a scope (registry, trial, biobank, data_sharing), and the patient's history as it
// stood before that date. Exports and analyses leave out what was recorded from the
// withdrawal on; nothing already collected is destroyed (erasure is a separate request).
//
// Thread safety: pure functions.
#pragma once

#include <initializer_list>
#include <optional>
#include <string_view>
#include <vector>

#include "core/date.h"
#include "core/patient_history.h"

namespace stream {

// The date the patient's consent for `scope` ended: the latest withdrawal date of the
// consents covering the scope, when every one of them is withdrawn. nullopt while a
// consent covering the scope is in force (a later re-consent restores it), or when none
// covering it is recorded.
std::optional<Date> ConsentWithdrawnFrom(const std::vector<Consent>& consents,
                                         std::string_view scope);

// The earlier of the withdrawal dates of `scopes` (registry and trial for a trial's
// analysis); nullopt when none is withdrawn.
std::optional<Date> EarliestWithdrawal(const std::vector<Consent>& consents,
                                       std::initializer_list<std::string_view> scopes);

// The history as it stood before `from`: every record dated on or after it is left out;
// an end (of a treatment line, of an adverse event) on or after it becomes unknown. The
// consents themselves stay: they document the withdrawal.
PatientHistory HistoryBefore(const PatientHistory& history, Date from);

// What analyses use of a patient who withdrew on `withdrawn`: the history before it, and
// the withdrawal itself as the last contact — the patient was alive to withdraw, so
// follow-up is censored on that date (as trials censor at consent withdrawal), unless a
// death is recorded before it.
PatientHistory HistoryAtWithdrawal(const PatientHistory& history, Date withdrawn);

}  // namespace stream
