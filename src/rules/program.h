// Internal: the compiled form of a criterion (a flat tree of typed nodes) and the
// catalogue of built-in facts and functions. Shared by the parser and the evaluator;
// not for use outside src/rules.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/date.h"

namespace stream::rules {

enum class Type : uint8_t { kBool, kNumber, kString, kDate, kDuration, kStringList, kNumberList };
std::string_view TypeName(Type type);

// A length of time. Months are calendar months when added to a date and 30.4375 days
// when compared with a number of days.
struct Duration {
  int64_t months = 0;
  int64_t days = 0;
  double ApproxDays() const {
    return static_cast<double>(months) * 30.4375 + static_cast<double>(days);
  }
};

// Calendar arithmetic: `date` plus `sign` times `d` (months first, day clamped to the
// month's end, then days).
Date Shift(Date date, const Duration& d, int sign);

enum class NodeKind : uint8_t {
  kLiteral,  // constant of any type (lists included)
  kFact,     // a built-in without arguments
  kCall,     // a built-in with arguments
  kNot,
  kAnd,  // n-ary
  kOr,   // n-ary
  kCompare,
  kIn,
  kNotIn,
  kBetween,
  kAdd,
  kSub,
  kNeg,
};

enum class CompareOp : uint8_t { kEq, kNe, kLt, kLe, kGt, kGe };

struct Constant {
  Type type = Type::kBool;
  bool boolean = false;
  double number = 0;
  Date date;
  Duration duration;
  std::string text;
  std::vector<std::string> texts;
  std::vector<double> numbers;
  bool present = false;  // for optional call arguments
};

struct Node {
  NodeKind kind = NodeKind::kLiteral;
  Type type = Type::kBool;
  CompareOp op = CompareOp::kEq;
  uint32_t begin = 0, end = 0;  // byte offsets of the node's text in the source
  int builtin = -1;             // index into BuiltinTable() for kFact / kCall
  std::vector<int32_t> kids;
  Constant value;                // kLiteral
  std::vector<Constant> args;    // kCall: one per parameter of the builtin, in order
  std::vector<std::string> say;  // kCall: precomputed missing-fact wording
};

struct Program {
  std::string source;
  std::vector<Node> nodes;
  int32_t root = -1;
  int depth = 0;
};

class EvalContext;
struct RuntimeValue;

struct ParamSpec {
  std::string_view name;
  Type type;
  bool required;
  std::span<const std::string_view> codes = {};  // closed list for string arguments
  enum class Check : uint8_t { kNone, kGene, kAgent, kFusionPattern } check = Check::kNone;
};

struct BuiltinSpec {
  std::string_view name;
  Type result;
  std::span<const ParamSpec> params;        // empty for facts
  bool is_function;                         // called with parentheses
  std::span<const std::string_view> codes;  // the result's code list (string facts)
  std::string_view signature, meaning, unknown_when;
  RuntimeValue (*eval)(EvalContext& ctx, const Node& node);
  // Fills Node::say at compile time (messages that depend only on the arguments).
  void (*prepare)(Node& node) = nullptr;
};

std::span<const BuiltinSpec> BuiltinTable();
int FindBuiltin(std::string_view name);  // -1 when unknown

}  // namespace stream::rules
