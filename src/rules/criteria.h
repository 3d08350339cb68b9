// The criteria language: typed, three-valued expressions over one patient that protocol
// files use for eligibility and arm assignment (docs/criteria-language.md).
//
//   auto criterion = Compile(R"(disease == "aml" and age between 18 and 70
//                                and not exposed_to("venetoclax", within: 3 months))");
//   Evaluator evaluator;
//   auto outcome = evaluator.Evaluate(*criterion, patient, on, attestations);
//
// Compile parses and type-checks once; errors (syntax, unknown names, wrong argument
// types or counts, codes outside a code list, limits) are kInvalidArgument with
// "line:column" in Error::where. A CompiledCriterion is immutable and may be shared and
// evaluated concurrently from many threads.
//
// Evaluation answers met / not met / unknown (Kleene logic: false and unknown = false,
// true or unknown = true). An unknown answer lists the missing facts that would decide
// it, in clinicians' words ("IDH1 not tested"). Only records dated on or before the
// evaluation date are used. Exceeding EvaluationLimits is an error, never a crash;
// nothing but the language's own facts and functions runs.
//
// Thread safety: an Evaluator holds scratch buffers and must not be used from two
// threads at once; use one Evaluator per thread.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/date.h"
#include "core/patient_history.h"
#include "core/result.h"

namespace stream::rules {

struct Program;  // the compiled tree (rules/program.h)

// Bounds on what one criterion may cost. Defaults suit protocol files.
struct CompileLimits {
  size_t max_source_bytes = size_t{64} * 1024;
  int max_depth = 64;        // nesting of the expression tree
  size_t max_nodes = 10000;  // expression nodes in one criterion
};

struct EvaluationLimits {
  int max_depth = 64;          // recursion depth while evaluating
  int64_t max_steps = 100000;  // expression nodes visited in one evaluation
};

// A compiled, type-checked criterion. Cheap to copy (shares the immutable tree).
class CompiledCriterion {
 public:
  // The criterion `true` (so containers and structs can hold criteria before loading).
  CompiledCriterion();
  const std::string& source() const;
  // Names of the facts and functions the criterion reads, sorted, without repeats.
  std::vector<std::string> FactsUsed() const;
  const Program& program() const { return *program_; }

 private:
  friend Result<CompiledCriterion> Compile(std::string_view, const CompileLimits&);
  explicit CompiledCriterion(std::shared_ptr<const Program> p) : program_(std::move(p)) {}
  std::shared_ptr<const Program> program_;
};

// Parses and type-checks `source`; the criterion must be a boolean expression.
[[nodiscard]] Result<CompiledCriterion> Compile(std::string_view source,
                                                const CompileLimits& limits = {});

enum class Verdict { kMet, kNotMet, kUnknown };
std::string_view ToString(Verdict verdict);  // "met", "not met", "unknown"

// Site-attested facts the registry does not hold ("not_pregnant" -> true), by name.
using Attestations = std::map<std::string, bool, std::less<>>;

struct Evaluation {
  Verdict verdict = Verdict::kUnknown;
  // When unknown: what would decide it, without repeats, in order of first mention.
  std::vector<std::string> missing;
  // One line for the screening log: which condition failed (with the patient's value),
  // or what is missing.
  std::string explanation;
};

// Per-criterion options from the protocol file.
struct EvaluationOptions {
  // The disease-state facts (disease_state, in_remission, ...) need evidence at most this
  // many days old on the evaluation date; older evidence makes them unknown, naming its
  // date. None: any age.
  std::optional<int> evidence_within_days;
};

class Evaluator {
 public:
  explicit Evaluator(EvaluationLimits limits = {});
  ~Evaluator();
  Evaluator(const Evaluator&) = delete;
  Evaluator& operator=(const Evaluator&) = delete;

  // Errors: kInvalidArgument when a limit is exceeded. Everything else is a verdict.
  [[nodiscard]] Result<Evaluation> Evaluate(const CompiledCriterion& criterion,
                                            const PatientHistory& patient, Date on,
                                            const Attestations& attestations = {},
                                            const EvaluationOptions& options = {});

 private:
  struct Scratch;
  EvaluationLimits limits_;
  std::unique_ptr<Scratch> scratch_;
};

// One-off convenience; screening loops should keep an Evaluator.
[[nodiscard]] Result<Evaluation> Evaluate(const CompiledCriterion& criterion,
                                          const PatientHistory& patient, Date on,
                                          const Attestations& attestations = {});

// The built-in facts and functions, for documentation and editor help.
struct BuiltinInfo {
  std::string_view name;
  std::string_view signature;  // e.g. "has_variant(gene, type:, min_vaf:, hgvs:) -> bool"
  std::string_view meaning;
  std::string_view unknown_when;
};
std::vector<BuiltinInfo> Builtins();

}  // namespace stream::rules
