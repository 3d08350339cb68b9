#include "clinical/pro_instrument.h"

#include <algorithm>
#include <set>

namespace stream::clinical {
namespace {

// A scale's score from its raw score, as the EORTC scoring manual defines it.
double Linear(ScaleKind kind, double raw, double lowest, double range) {
  const double position = (raw - lowest) / range;
  return (kind == ScaleKind::kFunctional ? 1.0 - position : position) * 100.0;
}

}  // namespace

const ProItem* ProInstrument::FindItem(int number) const {
  for (const auto& item : items) {
    if (item.number == number) return &item;
  }
  return nullptr;
}

const ProScale* ProInstrument::FindScale(const std::string& code) const {
  for (const auto& scale : scales) {
    if (scale.code == code) return &scale;
  }
  return nullptr;
}

std::string_view ToString(ScaleKind kind) {
  switch (kind) {
    case ScaleKind::kFunctional:
      return "functional";
    case ScaleKind::kSymptom:
      return "symptom";
    case ScaleKind::kGlobal:
      return "global";
    case ScaleKind::kItems:
      return "items";
  }
  return "symptom";
}

Status CheckInstrument(const ProInstrument& instrument) {
  std::set<int> numbers;
  for (const auto& item : instrument.items) {
    const std::string where = "item " + std::to_string(item.number);
    if (item.number < 1)
      return Fail(ErrorCode::kInvalidArgument, "items are numbered from 1", where);
    if (!numbers.insert(item.number).second)
      return Fail(ErrorCode::kInvalidArgument, "item number given twice", where);
    if (item.lowest >= item.highest)
      return Fail(ErrorCode::kInvalidArgument, "the lowest answer must be below the highest",
                  where);
  }
  std::set<std::string> codes;
  for (const auto& scale : instrument.scales) {
    const std::string where = "scale " + scale.code;
    if (scale.code.empty())
      return Fail(ErrorCode::kInvalidArgument, "a scale needs a code", "scales");
    if (!codes.insert(scale.code).second)
      return Fail(ErrorCode::kInvalidArgument, "scale code given twice", where);
    if (scale.items.empty())
      return Fail(ErrorCode::kInvalidArgument, "a scale needs at least one item", where);
    const ProItem* first = instrument.FindItem(scale.items.front());
    for (int n : scale.items) {
      const ProItem* item = instrument.FindItem(n);
      if (!item) return Fail(ErrorCode::kInvalidArgument, "no item " + std::to_string(n), where);
      if (first && (item->lowest != first->lowest || item->highest != first->highest))
        return Fail(ErrorCode::kInvalidArgument,
                    "the items of a scale must share one response scale", where);
    }
  }
  for (const auto& code : instrument.summary) {
    const ProScale* scale = instrument.FindScale(code);
    if (!scale) return Fail(ErrorCode::kInvalidArgument, "no scale '" + code + "'", "summary");
    if (scale->kind == ScaleKind::kItems || scale->kind == ScaleKind::kGlobal)
      return Fail(ErrorCode::kInvalidArgument,
                  "the summary takes functional and symptom scales only", "summary");
  }
  return Ok();
}

Result<InstrumentScores> ScoreQuestionnaire(const ProInstrument& instrument,
                                            const std::map<int, int>& answers) {
  for (const auto& [number, answer] : answers) {
    const std::string where = "item " + std::to_string(number);
    const ProItem* item = instrument.FindItem(number);
    if (!item)
      return Fail(ErrorCode::kInvalidArgument,
                  instrument.name + " has no item " + std::to_string(number), where);
    if (answer < item->lowest || answer > item->highest)
      return Fail(ErrorCode::kInvalidArgument,
                  "answer " + std::to_string(answer) + " is outside " +
                      std::to_string(item->lowest) + "–" + std::to_string(item->highest),
                  where);
  }
  InstrumentScores out;
  for (const auto& scale : instrument.scales) {
    ScaleScore s{scale.code, std::nullopt, 0, static_cast<int>(scale.items.size()), ""};
    if (scale.kind == ScaleKind::kItems) {
      s.not_scorable = "item-level instrument: read the items";
      out.scales.push_back(std::move(s));
      continue;
    }
    double sum = 0;
    for (int n : scale.items) {
      auto it = answers.find(n);
      if (it == answers.end()) continue;
      sum += it->second;
      ++s.answered;
    }
    // At least half the items: 2·answered ≥ items.
    if (s.answered == 0 || 2 * s.answered < s.items) {
      s.not_scorable = std::to_string(s.answered) + " of " + std::to_string(s.items) +
                       " items answered; at least half are needed";
    } else {
      const ProItem* first = instrument.FindItem(scale.items.front());
      const double range = first->highest - first->lowest;
      s.score = Linear(scale.kind, sum / s.answered, first->lowest, range);
    }
    out.scales.push_back(std::move(s));
  }
  if (!instrument.summary.empty()) {
    double total = 0;
    for (const auto& code : instrument.summary) {
      const auto it = std::find_if(out.scales.begin(), out.scales.end(),
                                   [&](const ScaleScore& s) { return s.code == code; });
      const ProScale* scale = instrument.FindScale(code);
      if (it == out.scales.end() || !scale || !it->score) {
        out.summary_not_scorable = "scale " + code + " is not scorable";
        break;
      }
      total += scale->kind == ScaleKind::kSymptom ? 100.0 - *it->score : *it->score;
    }
    if (out.summary_not_scorable.empty())
      out.summary = total / static_cast<double>(instrument.summary.size());
  }
  return out;
}

}  // namespace stream::clinical
