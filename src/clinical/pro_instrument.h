// Patient-reported outcome instruments as data, and their scoring (issue #18.2).
//
// An instrument is its items (a number, an identifier, the response scale's lowest and
// highest answer) and its scales (which items, and how the raw score becomes 0–100). The
// definitions live in files (instruments/*.yaml, protocol/instrument_loader.h); this header
// only scores. The EORTC QLQ-C30 v3.0 scoring manual (3rd ed., 2001) defines the method:
//
//   raw score   RS = mean of the answered items of the scale
//   range       the highest minus the lowest possible answer (3 for 1–4, 6 for 1–7)
//   functional  S = (1 − (RS − 1) / range) · 100
//   symptom     S = ((RS − 1) / range) · 100       (also single items)
//   global      S = ((RS − 1) / range) · 100
//
// A scale is scored when at least half of its items are answered (the manual's "half
// items" rule, mean imputation in effect); otherwise it is not scorable and has no number.
// The 2016 QLQ-C30 summary score (Giesinger et al., J Clin Epidemiol 2016;69:79–88) is the
// mean of the scales an instrument lists in `summary`, symptom scales reversed (100 − S),
// scored only when every one of them is.
//
// Item wording is the instrument owner's copyright: definitions hold item numbers and
// neutral placeholders; a deployer loads licensed wording separately.
//
// Thread safety: plain values and pure functions.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/result.h"

namespace stream::clinical {

enum class ScaleKind { kFunctional, kSymptom, kGlobal, kItems };

struct ProItem {
  int number = 0;       // 1-based, as printed on the questionnaire
  std::string id;       // e.g. "q1"
  std::string wording;  // a neutral placeholder unless licensed wording is loaded
  int lowest = 1;       // the response scale, e.g. 1 ("Not at all") to 4 ("Very much")
  int highest = 4;
};

struct ProScale {
  std::string code;  // e.g. "PF2"
  std::string name;  // e.g. "Physical functioning"
  ScaleKind kind = ScaleKind::kSymptom;
  std::vector<int> items;  // item numbers
};

struct ProInstrument {
  std::string id;       // e.g. "eortc_qlq_c30"
  std::string version;  // e.g. "3.0"
  std::string name;
  std::string population;  // "adult", "paediatric", …
  std::vector<ProItem> items;
  std::vector<ProScale> scales;
  std::vector<std::string> summary;  // scale codes of the summary score; empty: none

  const ProItem* FindItem(int number) const;
  const ProScale* FindScale(const std::string& code) const;
};

struct ScaleScore {
  std::string code;
  std::optional<double> score;  // 0–100; absent when not scorable
  int answered = 0;
  int items = 0;
  std::string not_scorable;  // why, when `score` is absent
};

struct InstrumentScores {
  std::vector<ScaleScore> scales;  // in the instrument's order
  std::optional<double> summary;   // the summary score when defined and scorable
  std::string summary_not_scorable;
};

// The scores of one completed questionnaire. `answers` maps item number to the answer
// given; an item not in the map was not answered. Errors (kInvalidArgument, where
// "item <n>"): an item the instrument does not have, an answer outside its response scale.
Result<InstrumentScores> ScoreQuestionnaire(const ProInstrument& instrument,
                                            const std::map<int, int>& answers);

// Checks a definition: items numbered uniquely with lowest < highest, scales with unique
// codes naming existing items of one response range, summary naming scales. Errors name
// the item or scale (where "items" / "scales" / "summary").
Status CheckInstrument(const ProInstrument& instrument);

std::string_view ToString(ScaleKind kind);

}  // namespace stream::clinical
