// Internal: the evaluator's per-evaluation state and runtime values, shared by the
// evaluator and the built-in implementations. Not for use outside src/rules.
#pragma once

#include <deque>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "clinical/disease_course.h"
#include "clinical/eln2022_genetic_risk.h"
#include "core/patient_history.h"
#include "rules/criteria.h"
#include "rules/program.h"

namespace stream::rules {

// A value during evaluation. Strings and lists point into the patient, the program or
// the context's string pool; they live as long as one evaluation. An unknown value's
// missing facts are the entries the context pushed while computing it.
struct RuntimeValue {
  Type type = Type::kBool;
  bool known = true;
  bool boolean = false;
  double number = 0;
  Date date;
  Duration duration;
  std::string_view text;
  const std::vector<std::string>* texts = nullptr;
  const std::vector<double>* numbers = nullptr;
};

class EvalContext {
 public:
  EvalContext(const PatientHistory& patient, Date on, const Attestations& attestations,
              std::vector<std::string_view>& missing, std::deque<std::string>& pool,
              const EvaluationOptions& options = {})
      : patient_(patient),
        on_(on),
        attestations_(attestations),
        missing_(missing),
        pool_(pool),
        options_(options) {}

  const PatientHistory& patient() const { return patient_; }
  Date on() const { return on_; }
  const Attestations& attestations() const { return attestations_; }

  static RuntimeValue Bool(bool b) {
    RuntimeValue v;
    v.boolean = b;
    return v;
  }
  static RuntimeValue Number(double n) {
    RuntimeValue v;
    v.type = Type::kNumber;
    v.number = n;
    return v;
  }
  static RuntimeValue Text(std::string_view s) {
    RuntimeValue v;
    v.type = Type::kString;
    v.text = s;
    return v;
  }
  static RuntimeValue DateValue(Date d) {
    RuntimeValue v;
    v.type = Type::kDate;
    v.date = d;
    return v;
  }
  // An unknown of `type` missing `fact` (which must outlive the evaluation: a literal,
  // a string in the program or the patient).
  RuntimeValue Unknown(Type type, std::string_view fact) {
    missing_.push_back(fact);
    RuntimeValue v;
    v.type = type;
    v.known = false;
    return v;
  }
  // As Unknown, for wording built during evaluation.
  RuntimeValue UnknownOwned(Type type, std::string fact) {
    pool_.push_back(std::move(fact));
    return Unknown(type, pool_.back());
  }
  std::string_view Keep(std::string s) {
    pool_.push_back(std::move(s));
    return pool_.back();
  }

  bool InScope(Date d) const { return d <= on_; }

  // Cached derivations, computed at most once per evaluation.
  const clinical::GeneticRiskResult& GeneticRisk() {
    if (!risk_) risk_ = clinical::ClassifyEln2022GeneticRisk(patient_, on_);
    return *risk_;
  }

  // The disease state on the evaluation date (clinical/disease_course.h).
  const clinical::DiseaseSnapshot& Course() {
    if (!course_) course_ = clinical::DiseaseStateAsOf(patient_, on_);
    return *course_;
  }
  const EvaluationOptions& options() const { return options_; }

  std::vector<std::string_view>& missing() { return missing_; }

 private:
  const PatientHistory& patient_;
  const Date on_;
  const Attestations& attestations_;
  std::vector<std::string_view>& missing_;
  std::deque<std::string>& pool_;
  const EvaluationOptions options_;
  std::optional<clinical::GeneticRiskResult> risk_;
  std::optional<clinical::DiseaseSnapshot> course_;
};

}  // namespace stream::rules
