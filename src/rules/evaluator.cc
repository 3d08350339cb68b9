// Evaluation of a compiled criterion with Kleene three-valued logic.
//
// Missing facts live on one stack per evaluation: a node that ends known drops what its
// children pushed, an unknown node keeps it, so the entries above a node's start mark
// are exactly the facts that would decide it, with no per-node allocation.
#include <algorithm>
#include <charconv>
#include <set>

#include "rules/criteria.h"
#include "rules/eval_context.h"
#include "rules/program.h"

namespace stream::rules {

std::string_view TypeName(Type type) {
  switch (type) {
    case Type::kBool:
      return "condition";
    case Type::kNumber:
      return "number";
    case Type::kString:
      return "string";
    case Type::kDate:
      return "date";
    case Type::kDuration:
      return "duration";
    case Type::kStringList:
      return "list of strings";
    case Type::kNumberList:
      return "list of numbers";
  }
  return "value";
}

Date Shift(Date date, const Duration& d, int sign) {
  int64_t months = static_cast<int64_t>(date.year()) * 12 + (date.month() - 1) + sign * d.months;
  int64_t year = months >= 0 ? months / 12 : (months - 11) / 12;
  unsigned month = static_cast<unsigned>(months - year * 12 + 1);
  unsigned day = date.day();
  year = std::clamp<int64_t>(year, 1, 9999);
  while (day > 28 && !Date::IsValidCivil(static_cast<int>(year), month, day)) --day;
  return Date::FromCivil(static_cast<int>(year), month, day).AddDays(sign * d.days);
}

CompiledCriterion::CompiledCriterion() {
  static const std::shared_ptr<const Program> kTrue = Compile("true").value().program_;
  program_ = kTrue;
}

const std::string& CompiledCriterion::source() const { return program_->source; }

std::vector<std::string> CompiledCriterion::FactsUsed() const {
  std::set<std::string> names;
  for (const auto& n : program_->nodes) {
    if (n.kind == NodeKind::kFact || n.kind == NodeKind::kCall) {
      names.insert(std::string(BuiltinTable()[n.builtin].name));
    }
  }
  return {names.begin(), names.end()};
}

std::string_view ToString(Verdict verdict) {
  switch (verdict) {
    case Verdict::kMet:
      return "met";
    case Verdict::kNotMet:
      return "not met";
    case Verdict::kUnknown:
      break;
  }
  return "unknown";
}

struct Evaluator::Scratch {
  std::vector<std::string_view> missing;
  std::deque<std::string> pool;
};

namespace {

std::string FormatNumber(double v) {
  char buf[32];
  auto [p, ec] = std::to_chars(buf, buf + sizeof buf, v);
  return ec == std::errc() ? std::string(buf, p) : std::string("?");
}

std::string FormatDuration(const Duration& d) {
  std::string out;
  if (d.months != 0) {
    out = d.months % 12 == 0 ? std::to_string(d.months / 12) + " years"
                             : std::to_string(d.months) + " months";
  }
  if (d.days != 0 || out.empty()) {
    out += (out.empty() ? "" : " ") + std::to_string(d.days) + " days";
  }
  return out;
}

std::string Format(const RuntimeValue& v) {
  if (!v.known) return "unknown";
  switch (v.type) {
    case Type::kBool:
      return v.boolean ? "true" : "false";
    case Type::kNumber:
      return FormatNumber(v.number);
    case Type::kString:
      return "\"" + std::string(v.text) + "\"";
    case Type::kDate:
      return v.date.ToString();
    case Type::kDuration:
      return FormatDuration(v.duration);
    case Type::kStringList: {
      std::string out = "[";
      for (const auto& s : *v.texts) out += (out.size() > 1 ? ", \"" : "\"") + s + "\"";
      return out + "]";
    }
    case Type::kNumberList: {
      std::string out = "[";
      for (double d : *v.numbers) out += (out.size() > 1 ? ", " : "") + FormatNumber(d);
      return out + "]";
    }
  }
  return "?";
}

// Source text on one line: comments dropped, blank runs collapsed.
std::string Compact(std::string_view text) {
  std::string out;
  bool in_string = false, in_comment = false, blank = false, escaped = false;
  for (char c : text) {
    if (in_comment) {
      if (c == '\n')
        in_comment = false;
      else
        continue;
    }
    if (!in_string && c == '#') {
      in_comment = true;
      blank = true;
      continue;
    }
    if (in_string && escaped) {
      escaped = false;
    } else if (in_string && c == '\\') {
      escaped = true;
    } else if (c == '"') {
      in_string = !in_string;
    }
    if (!in_string && (c == ' ' || c == '\n' || c == '\t' || c == '\r')) {
      blank = true;
      continue;
    }
    if (blank && !out.empty()) out += ' ';
    blank = false;
    out += c;
  }
  return out;
}

// Three-way comparison of two known values of one ordered or equatable type.
int Compare(const RuntimeValue& a, const RuntimeValue& b) {
  switch (a.type) {
    case Type::kBool:
      return static_cast<int>(a.boolean) - static_cast<int>(b.boolean);
    case Type::kNumber:
      return a.number < b.number ? -1 : a.number > b.number ? 1 : 0;
    case Type::kString:
      return a.text < b.text ? -1 : a.text > b.text ? 1 : 0;
    case Type::kDate:
      return a.date < b.date ? -1 : a.date > b.date ? 1 : 0;
    case Type::kDuration: {
      double x = a.duration.ApproxDays(), y = b.duration.ApproxDays();
      return x < y ? -1 : x > y ? 1 : 0;
    }
    default:
      return 0;
  }
}

class Run {
 public:
  Run(const Program& program, EvalContext& ctx, const EvaluationLimits& limits)
      : p_(program), ctx_(ctx), limits_(limits) {}

  bool failed() const { return failed_; }
  const std::string& failure() const { return failure_; }

  RuntimeValue Eval(int32_t id) {
    const Node& n = p_.nodes[id];
    if (++steps_ > limits_.max_steps || depth_ >= limits_.max_depth) {
      if (!failed_) {
        failure_ = steps_ > limits_.max_steps
                       ? "evaluation exceeded " + std::to_string(limits_.max_steps) + " steps"
                       : "evaluation exceeded depth " + std::to_string(limits_.max_depth);
      }
      failed_ = true;
    }
    if (failed_) {
      RuntimeValue v;
      v.type = n.type;
      v.known = false;
      return v;
    }
    size_t mark = ctx_.missing().size();
    ++depth_;
    RuntimeValue v = Inner(n);
    --depth_;
    v.type = n.type;
    if (v.known) ctx_.missing().resize(mark);
    return v;
  }

  // The explanation of a decided or undecided root, for the screening log.
  std::string Explain(int32_t id, Verdict verdict) {
    const Node& n = p_.nodes[id];
    if (verdict == Verdict::kNotMet && n.kind == NodeKind::kAnd) {
      for (int32_t k : n.kids) {
        RuntimeValue v = Eval(k);
        if (v.known && !v.boolean) return Explain(k, verdict);
      }
    }
    if (verdict == Verdict::kMet && n.kind == NodeKind::kOr) {
      for (int32_t k : n.kids) {
        RuntimeValue v = Eval(k);
        if (v.known && v.boolean) return Explain(k, verdict);
      }
    }
    if (verdict == Verdict::kMet && n.kind == NodeKind::kAnd && id == p_.root) {
      return "all " + std::to_string(n.kids.size()) + " conditions hold";
    }
    std::string text = Compact(Text(id));
    const Node* operand = nullptr;
    if (n.kind == NodeKind::kCompare || n.kind == NodeKind::kIn || n.kind == NodeKind::kNotIn ||
        n.kind == NodeKind::kBetween) {
      operand = &p_.nodes[n.kids[0]];
      if (operand->kind == NodeKind::kLiteral) operand = &p_.nodes[n.kids.back()];
    }
    if (operand != nullptr && operand->kind != NodeKind::kLiteral) {
      size_t mark = ctx_.missing().size();
      RuntimeValue v = Eval(static_cast<int32_t>(operand - p_.nodes.data()));
      ctx_.missing().resize(mark);
      if (v.known)
        text += " (" + std::string(Text(operand - p_.nodes.data())) + " is " + Format(v) + ")";
    }
    return text;
  }

 private:
  std::string_view Text(ptrdiff_t id) const {
    const Node& n = p_.nodes[id];
    return std::string_view(p_.source).substr(n.begin, n.end - n.begin);
  }

  static RuntimeValue Unknown() {
    RuntimeValue v;
    v.known = false;
    return v;
  }

  RuntimeValue Inner(const Node& n) {
    switch (n.kind) {
      case NodeKind::kLiteral: {
        RuntimeValue v;
        v.type = n.type;
        v.boolean = n.value.boolean;
        v.number = n.value.number;
        v.date = n.value.date;
        v.duration = n.value.duration;
        v.text = n.value.text;
        v.texts = &n.value.texts;
        v.numbers = &n.value.numbers;
        return v;
      }
      case NodeKind::kFact:
      case NodeKind::kCall:
        return BuiltinTable()[n.builtin].eval(ctx_, n);
      case NodeKind::kNot: {
        RuntimeValue v = Eval(n.kids[0]);
        v.boolean = !v.boolean;
        return v;
      }
      case NodeKind::kAnd:
      case NodeKind::kOr: {
        // Kleene: a deciding operand (false for and, true for or) wins over unknowns.
        const bool decider = n.kind == NodeKind::kOr;
        bool unknown = false;
        for (int32_t k : n.kids) {
          RuntimeValue v = Eval(k);
          if (!v.known) {
            unknown = true;
          } else if (v.boolean == decider) {
            return EvalContext::Bool(decider);
          }
        }
        return unknown ? Unknown() : EvalContext::Bool(!decider);
      }
      case NodeKind::kCompare: {
        RuntimeValue a = Eval(n.kids[0]);
        RuntimeValue b = Eval(n.kids[1]);
        if (!a.known || !b.known) return Unknown();
        int c = Compare(a, b);
        switch (n.op) {
          case CompareOp::kEq:
            return EvalContext::Bool(c == 0);
          case CompareOp::kNe:
            return EvalContext::Bool(c != 0);
          case CompareOp::kLt:
            return EvalContext::Bool(c < 0);
          case CompareOp::kLe:
            return EvalContext::Bool(c <= 0);
          case CompareOp::kGt:
            return EvalContext::Bool(c > 0);
          case CompareOp::kGe:
            return EvalContext::Bool(c >= 0);
        }
        return Unknown();
      }
      case NodeKind::kIn:
      case NodeKind::kNotIn: {
        RuntimeValue a = Eval(n.kids[0]);
        RuntimeValue b = Eval(n.kids[1]);
        if (!a.known || !b.known) return Unknown();
        bool found = false;
        if (a.type == Type::kString) {
          found = std::find(b.texts->begin(), b.texts->end(), a.text) != b.texts->end();
        } else {
          found = std::find(b.numbers->begin(), b.numbers->end(), a.number) != b.numbers->end();
        }
        return EvalContext::Bool(found == (n.kind == NodeKind::kIn));
      }
      case NodeKind::kBetween: {
        RuntimeValue x = Eval(n.kids[0]);
        RuntimeValue lo = Eval(n.kids[1]);
        RuntimeValue hi = Eval(n.kids[2]);
        if (!x.known || !lo.known || !hi.known) return Unknown();
        return EvalContext::Bool(Compare(lo, x) <= 0 && Compare(x, hi) <= 0);
      }
      case NodeKind::kAdd:
      case NodeKind::kSub: {
        RuntimeValue a = Eval(n.kids[0]);
        RuntimeValue b = Eval(n.kids[1]);
        if (!a.known || !b.known) return Unknown();
        const int sign = n.kind == NodeKind::kAdd ? 1 : -1;
        RuntimeValue r;
        if (a.type == Type::kNumber) {
          r.number = a.number + sign * b.number;
        } else if (a.type == Type::kDate && b.type == Type::kDuration) {
          r.date = Shift(a.date, b.duration, sign);
        } else if (a.type == Type::kDate) {
          r.duration = Duration{0, DaysBetween(b.date, a.date)};
        } else {
          r.duration = Duration{a.duration.months + sign * b.duration.months,
                                a.duration.days + sign * b.duration.days};
        }
        return r;
      }
      case NodeKind::kNeg: {
        RuntimeValue v = Eval(n.kids[0]);
        v.number = -v.number;
        return v;
      }
    }
    return Unknown();
  }

  const Program& p_;
  EvalContext& ctx_;
  const EvaluationLimits& limits_;
  int64_t steps_ = 0;
  int depth_ = 0;
  bool failed_ = false;
  std::string failure_;
};

}  // namespace

Evaluator::Evaluator(EvaluationLimits limits)
    : limits_(limits), scratch_(std::make_unique<Scratch>()) {}
Evaluator::~Evaluator() = default;

Result<Evaluation> Evaluator::Evaluate(const CompiledCriterion& criterion,
                                       const PatientHistory& patient, Date on,
                                       const Attestations& attestations,
                                       const EvaluationOptions& options) {
  const Program& program = criterion.program();
  scratch_->missing.clear();
  scratch_->pool.clear();
  EvalContext ctx(patient, on, attestations, scratch_->missing, scratch_->pool, options);
  Run run(program, ctx, limits_);
  RuntimeValue v = run.Eval(program.root);
  if (run.failed()) {
    return Fail(ErrorCode::kInvalidArgument, run.failure(), "criterion");
  }
  Evaluation out;
  out.verdict = !v.known ? Verdict::kUnknown : v.boolean ? Verdict::kMet : Verdict::kNotMet;
  if (out.verdict == Verdict::kUnknown) {
    for (std::string_view m : scratch_->missing) {
      if (std::find(out.missing.begin(), out.missing.end(), m) == out.missing.end()) {
        out.missing.emplace_back(m);
      }
    }
    std::string joined;
    for (const auto& m : out.missing) joined += (joined.empty() ? "" : "; ") + m;
    out.explanation = "unknown: " + joined;
  } else {
    out.explanation =
        std::string(ToString(out.verdict)) + ": " + run.Explain(program.root, out.verdict);
    if (run.failed()) return Fail(ErrorCode::kInvalidArgument, run.failure(), "criterion");
  }
  return out;
}

Result<Evaluation> Evaluate(const CompiledCriterion& criterion, const PatientHistory& patient,
                            Date on, const Attestations& attestations) {
  Evaluator evaluator;
  return evaluator.Evaluate(criterion, patient, on, attestations);
}

}  // namespace stream::rules
