// Helpers for criteria-language tests: compile-or-fail and evaluate-or-fail.
#pragma once

#include <gtest/gtest.h>

#include <string>

#include "rules/criteria.h"
#include "support/patient_builder.h"

namespace stream::rules::testing {

inline CompiledCriterion MustCompile(std::string_view source) {
  auto c = Compile(source);
  if (!c.ok()) {
    ADD_FAILURE() << "compile failed: " << c.error().ToString() << "\n  in: " << source;
    return Compile("true").value();
  }
  return c.value();
}

inline Evaluation Eval(std::string_view source, const PatientHistory& p,
                       const char* on = "2024-02-01", const Attestations& att = {}) {
  auto c = MustCompile(source);
  auto e = Evaluate(c, p, stream::testing::D(on), att);
  if (!e.ok()) {
    ADD_FAILURE() << "evaluation failed: " << e.error().ToString();
    return {};
  }
  return e.value();
}

inline Verdict V(std::string_view source, const PatientHistory& p, const char* on = "2024-02-01",
                 const Attestations& att = {}) {
  return Eval(source, p, on, att).verdict;
}

// The "line:col: message" of a compile error, or "" when it compiled.
inline std::string CompileError(std::string_view source) {
  auto c = Compile(source);
  return c.ok() ? std::string() : c.error().ToString();
}

}  // namespace stream::rules::testing
