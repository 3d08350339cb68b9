// Compile: the expression grammar of the criteria language — a recursive-descent parser
// that type-checks while it builds the tree (parser_internal.h; grammar in
// docs/criteria-language.md). Facts and function calls are parsed in parser_calls.cc.
#include <algorithm>
#include <optional>

#include "rules/criteria.h"
#include "rules/parser_internal.h"
#include "rules/program.h"

namespace stream::rules {
namespace internal {
namespace {

bool Ordered(Type t) { return t == Type::kNumber || t == Type::kDate || t == Type::kDuration; }

std::optional<Duration> Unit(std::string_view word, int64_t n) {
  if (word == "day" || word == "days") return Duration{0, n};
  if (word == "week" || word == "weeks") return Duration{0, 7 * n};
  if (word == "month" || word == "months") return Duration{n, 0};
  if (word == "year" || word == "years") return Duration{12 * n, 0};
  return std::nullopt;
}

// The constant a number, string or date token stands for.
Constant TokenConstant(const Token& t) {
  Constant c;
  switch (t.kind) {
    case Tok::kNumber:
      c.type = Type::kNumber;
      c.number = t.number;
      break;
    case Tok::kString:
      c.type = Type::kString;
      c.text = t.value;
      break;
    case Tok::kDate:
      c.type = Type::kDate;
      c.date = t.date;
      break;
    default:
      break;
  }
  return c;
}

}  // namespace

Parser::Parser(std::string_view source, const CompileLimits& limits)
    : limits_(limits), program_{.source = std::string(source)}, lex_(program_.source) {}

Result<Program> Parser::Run() {
  if (program_.source.size() > limits_.max_source_bytes) {
    return Fail(ErrorCode::kInvalidArgument,
                "criterion is " + std::to_string(program_.source.size()) + " bytes; the limit is " +
                    std::to_string(limits_.max_source_bytes),
                "1:1");
  }
  if (!lex_.Advance()) return *lex_.error();
  int32_t root = ParseOr();
  if (failed()) return *lex_.error();
  if (tok().kind != Tok::kEnd) {
    ErrorAt(tok().begin, "unexpected " + Describe(tok()) + " after the end of the expression");
    return *lex_.error();
  }
  if (program_.nodes[root].type != Type::kBool) {
    ErrorAt(program_.nodes[root].begin,
            "a criterion must be a condition (true/false), but this is a " +
                std::string(TypeName(program_.nodes[root].type)));
    return *lex_.error();
  }
  program_.root = root;
  program_.depth = Height(root);
  return std::move(program_);
}

// --- tree ---------------------------------------------------------------------------------

int32_t Parser::OneChild(NodeKind kind, Type type, uint32_t begin, int32_t kid) {
  Node n;
  n.kind = kind;
  n.type = type;
  n.begin = begin;
  n.end = At(kid).end;
  n.kids = {kid};
  return Add(std::move(n));
}

int32_t Parser::Add(Node n) {
  if (program_.nodes.size() >= limits_.max_nodes) {
    ErrorAt(n.begin, "criterion has more than " + std::to_string(limits_.max_nodes) +
                         " parts; split it into several criteria");
    return Bad();
  }
  program_.nodes.push_back(std::move(n));
  int32_t id = static_cast<int32_t>(program_.nodes.size() - 1);
  if (Height(id) > limits_.max_depth) {
    ErrorAt(program_.nodes[id].begin,
            "expression nested deeper than " + std::to_string(limits_.max_depth) + " levels");
  }
  return id;
}

int Parser::Height(int32_t id) {
  // Heights are cached in a side vector that grows with the node list.
  if (heights_.size() < program_.nodes.size()) heights_.resize(program_.nodes.size(), -1);
  if (heights_[id] >= 0) return heights_[id];
  int h = 0;
  for (int32_t k : program_.nodes[id].kids) h = std::max(h, Height(k));
  heights_[id] = h + 1;
  return h + 1;
}

bool Parser::Enter(uint32_t where) {
  if (++depth_ > limits_.max_depth) {
    ErrorAt(where,
            "expression nested deeper than " + std::to_string(limits_.max_depth) + " levels");
    return false;
  }
  return true;
}

int32_t Parser::Bad() {
  if (program_.nodes.empty()) program_.nodes.push_back(Node{});
  return 0;
}

int32_t Parser::Literal(Constant c, uint32_t begin, uint32_t end) {
  Node n;
  n.kind = NodeKind::kLiteral;
  n.type = c.type;
  n.begin = begin;
  n.end = end;
  c.present = true;
  n.value = std::move(c);
  return Add(std::move(n));
}

// --- expressions ----------------------------------------------------------------------------

int32_t Parser::Logical(NodeKind kind, std::vector<int32_t> kids, uint32_t begin) {
  for (int32_t k : kids) {
    if (At(k).type != Type::kBool) {
      ErrorAt(At(k).begin, std::string("`") + (kind == NodeKind::kAnd ? "and" : "or") +
                               "` needs conditions on both sides, but this is a " +
                               std::string(TypeName(At(k).type)));
      return Bad();
    }
  }
  Node n;
  n.kind = kind;
  n.type = Type::kBool;
  n.begin = begin;
  n.end = At(kids.back()).end;
  n.kids = std::move(kids);
  return Add(std::move(n));
}

// or_expr := and_expr { "or" and_expr }
int32_t Parser::ParseOr() {
  if (!Enter(tok().begin)) return Bad();
  uint32_t begin = tok().begin;
  std::vector<int32_t> kids = {ParseAnd()};
  while (!failed() && lex_.IsKeyword("or")) {
    if (!lex_.Advance()) break;
    kids.push_back(ParseAnd());
  }
  --depth_;
  if (failed()) return Bad();
  return kids.size() == 1 ? kids[0] : Logical(NodeKind::kOr, std::move(kids), begin);
}

// and_expr := not_expr { "and" not_expr }
int32_t Parser::ParseAnd() {
  uint32_t begin = tok().begin;
  std::vector<int32_t> kids = {ParseNot()};
  while (!failed() && lex_.IsKeyword("and")) {
    if (!lex_.Advance()) break;
    kids.push_back(ParseNot());
  }
  if (failed()) return Bad();
  return kids.size() == 1 ? kids[0] : Logical(NodeKind::kAnd, std::move(kids), begin);
}

// not_expr := "not" not_expr | comparison
int32_t Parser::ParseNot() {
  if (lex_.IsKeyword("not")) {
    uint32_t begin = tok().begin;
    if (!Enter(begin) || !lex_.Advance()) return Bad();
    int32_t kid = ParseNot();
    --depth_;
    if (failed()) return Bad();
    if (At(kid).type != Type::kBool) {
      ErrorAt(At(kid).begin,
              "`not` needs a condition, but this is a " + std::string(TypeName(At(kid).type)));
      return Bad();
    }
    return OneChild(NodeKind::kNot, Type::kBool, begin, kid);
  }
  return ParseComparison();
}

// comparison := additive [ cmp additive | ["not"] "in" additive | "between" additive "and"
// additive ]
int32_t Parser::ParseComparison() {
  int32_t left = ParseAdditive();
  if (failed()) return Bad();
  uint32_t begin = At(left).begin;
  auto make = [&](NodeKind kind, std::vector<int32_t> kids) {
    Node n;
    n.kind = kind;
    n.type = Type::kBool;
    n.begin = begin;
    n.end = At(kids.back()).end;
    n.kids = std::move(kids);
    return n;
  };
  std::optional<CompareOp> op;
  switch (tok().kind) {
    case Tok::kEq:
      op = CompareOp::kEq;
      break;
    case Tok::kNe:
      op = CompareOp::kNe;
      break;
    case Tok::kLt:
      op = CompareOp::kLt;
      break;
    case Tok::kLe:
      op = CompareOp::kLe;
      break;
    case Tok::kGt:
      op = CompareOp::kGt;
      break;
    case Tok::kGe:
      op = CompareOp::kGe;
      break;
    default:
      break;
  }
  if (op) {
    uint32_t op_at = tok().begin;
    std::string op_text(tok().text);
    if (!lex_.Advance()) return Bad();
    int32_t right = ParseAdditive();
    if (failed()) return Bad();
    Type lt = At(left).type, rt = At(right).type;
    if (lt != rt || lt == Type::kStringList || lt == Type::kNumberList) {
      ErrorAt(op_at, "cannot compare a " + std::string(TypeName(lt)) + " with a " +
                         std::string(TypeName(rt)) + " using " + op_text);
      return Bad();
    }
    if (*op != CompareOp::kEq && *op != CompareOp::kNe && !Ordered(lt)) {
      ErrorAt(op_at,
              op_text + " needs numbers, dates or durations, not a " + std::string(TypeName(lt)));
      return Bad();
    }
    CheckCode(left, right);
    CheckCode(right, left);
    if (failed()) return Bad();
    Node n = make(NodeKind::kCompare, {left, right});
    n.op = *op;
    if (IsComparisonToken()) {
      ErrorAt(tok().begin,
              "comparisons do not chain; write `x between a and b` or join two comparisons with "
              "`and`");
      return Bad();
    }
    return Add(std::move(n));
  }
  bool negated = false;
  if (lex_.IsKeyword("not")) {
    // Only "not in" may follow an operand.
    if (!lex_.Advance()) return Bad();
    if (!lex_.IsKeyword("in")) {
      ErrorAt(tok().begin, "expected `in` after `not` here");
      return Bad();
    }
    negated = true;
  }
  if (lex_.IsKeyword("in")) {
    uint32_t op_at = tok().begin;
    if (!lex_.Advance()) return Bad();
    int32_t right = ParseAdditive();
    if (failed()) return Bad();
    Type lt = At(left).type, rt = At(right).type;
    bool ok = (lt == Type::kString && rt == Type::kStringList) ||
              (lt == Type::kNumber && rt == Type::kNumberList);
    if (!ok) {
      ErrorAt(
          op_at,
          "`in` needs a string and a list of strings, or a number and a list of numbers; got a " +
              std::string(TypeName(lt)) + " and a " + std::string(TypeName(rt)));
      return Bad();
    }
    CheckCode(left, right);
    CheckCode(right, left);
    if (failed()) return Bad();
    return Add(make(negated ? NodeKind::kNotIn : NodeKind::kIn, {left, right}));
  }
  if (lex_.IsKeyword("between")) {
    uint32_t op_at = tok().begin;
    if (!lex_.Advance()) return Bad();
    int32_t low = ParseAdditive();
    if (failed()) return Bad();
    if (!lex_.IsKeyword("and")) {
      ErrorAt(tok().begin, "expected `and` in `between low and high`, found " + Describe(tok()));
      return Bad();
    }
    if (!lex_.Advance()) return Bad();
    int32_t high = ParseAdditive();
    if (failed()) return Bad();
    Type t = At(left).type;
    if (!Ordered(t) || At(low).type != t || At(high).type != t) {
      ErrorAt(op_at, "`between` needs three numbers, dates or durations of one kind; got a " +
                         std::string(TypeName(t)) + " between a " +
                         std::string(TypeName(At(low).type)) + " and a " +
                         std::string(TypeName(At(high).type)));
      return Bad();
    }
    return Add(make(NodeKind::kBetween, {left, low, high}));
  }
  return left;
}

bool Parser::IsComparisonToken() const {
  return tok().kind == Tok::kEq || tok().kind == Tok::kNe || tok().kind == Tok::kLt ||
         tok().kind == Tok::kLe || tok().kind == Tok::kGt || tok().kind == Tok::kGe;
}

// additive := unary { ("+" | "-") unary }
int32_t Parser::ParseAdditive() {
  int32_t left = ParseUnary();
  while (!failed() && (tok().kind == Tok::kPlus || tok().kind == Tok::kMinus)) {
    bool plus = tok().kind == Tok::kPlus;
    uint32_t op_at = tok().begin;
    if (!lex_.Advance()) return Bad();
    int32_t right = ParseUnary();
    if (failed()) return Bad();
    Type lt = At(left).type, rt = At(right).type;
    std::optional<Type> result;
    if (lt == Type::kNumber && rt == Type::kNumber) result = Type::kNumber;
    if (lt == Type::kDate && rt == Type::kDuration) result = Type::kDate;
    if (lt == Type::kDuration && rt == Type::kDuration) result = Type::kDuration;
    if (!plus && lt == Type::kDate && rt == Type::kDate) result = Type::kDuration;
    if (!result) {
      ErrorAt(op_at, std::string("cannot ") + (plus ? "add a " : "subtract a ") +
                         std::string(TypeName(rt)) + (plus ? " to a " : " from a ") +
                         std::string(TypeName(lt)));
      return Bad();
    }
    Node n;
    n.kind = plus ? NodeKind::kAdd : NodeKind::kSub;
    n.type = *result;
    n.begin = At(left).begin;
    n.end = At(right).end;
    n.kids = {left, right};
    left = Add(std::move(n));
  }
  return failed() ? Bad() : left;
}

// unary := "-" unary | primary
int32_t Parser::ParseUnary() {
  if (tok().kind == Tok::kMinus) {
    uint32_t begin = tok().begin;
    if (!Enter(begin) || !lex_.Advance()) return Bad();
    int32_t kid = ParseUnary();
    --depth_;
    if (failed()) return Bad();
    if (At(kid).type != Type::kNumber) {
      ErrorAt(begin, "unary minus needs a number, not a " + std::string(TypeName(At(kid).type)));
      return Bad();
    }
    if (At(kid).kind == NodeKind::kLiteral) {  // fold -5 into a literal
      At(kid).value.number = -At(kid).value.number;
      At(kid).begin = begin;
      return kid;
    }
    return OneChild(NodeKind::kNeg, Type::kNumber, begin, kid);
  }
  return ParsePrimary();
}

int32_t Parser::ParsePrimary() {
  Token t = tok();
  switch (t.kind) {
    case Tok::kNumber: {
      if (!lex_.Advance()) return Bad();
      if (tok().kind == Tok::kIdent) {
        double whole = t.number;
        if (auto d = Unit(tok().text, static_cast<int64_t>(whole))) {
          if (whole != static_cast<double>(static_cast<int64_t>(whole)) || whole > 100000) {
            ErrorAt(
                t.begin,
                "a duration is a whole number of days, weeks, months or years (at most 100000)");
            return Bad();
          }
          uint32_t end = tok().end;
          if (!lex_.Advance()) return Bad();
          Constant c;
          c.type = Type::kDuration;
          c.duration = *d;
          return Literal(std::move(c), t.begin, end);
        }
      }
      return Literal(TokenConstant(t), t.begin, t.end);
    }
    case Tok::kString:
    case Tok::kDate:
      if (!lex_.Advance()) return Bad();
      return Literal(TokenConstant(t), t.begin, t.end);
    case Tok::kLParen: {
      if (!Enter(t.begin) || !lex_.Advance()) return Bad();
      int32_t inner = ParseOr();
      --depth_;
      if (failed()) return Bad();
      if (tok().kind != Tok::kRParen) {
        ErrorAt(tok().begin, "expected ')' to close the '(' at " + lex_.Where(t.begin) +
                                 ", found " + Describe(tok()));
        return Bad();
      }
      At(inner).begin = std::min(At(inner).begin, t.begin);
      At(inner).end = tok().end;
      if (!lex_.Advance()) return Bad();
      return inner;
    }
    case Tok::kLBracket:
      return ParseList();
    case Tok::kIdent:
      return ParseName();
    case Tok::kEnd:
      ErrorAt(t.begin, "the criterion ends where a value was expected");
      return Bad();
    default:
      ErrorAt(t.begin, "expected a value, a fact or a function, found " + Describe(t));
      return Bad();
  }
}

// list := "[" literal { "," literal } "]" with all strings or all numbers.
int32_t Parser::ParseList() {
  uint32_t begin = tok().begin;
  if (!lex_.Advance()) return Bad();
  Constant c;
  bool first = true;
  while (tok().kind != Tok::kRBracket) {
    if (!first) {
      if (tok().kind != Tok::kComma) {
        ErrorAt(tok().begin, "expected ',' or ']' in the list, found " + Describe(tok()));
        return Bad();
      }
      if (!lex_.Advance()) return Bad();
    }
    bool negative = false;
    if (tok().kind == Tok::kMinus) {
      negative = true;
      if (!lex_.Advance()) return Bad();
    }
    if (tok().kind == Tok::kString && !negative) {
      if (!first && c.type != Type::kStringList) {
        ErrorAt(tok().begin, "a list holds only strings or only numbers");
        return Bad();
      }
      c.type = Type::kStringList;
      c.texts.push_back(tok().value);
    } else if (tok().kind == Tok::kNumber) {
      if (!first && c.type != Type::kNumberList) {
        ErrorAt(tok().begin, "a list holds only strings or only numbers");
        return Bad();
      }
      c.type = Type::kNumberList;
      c.numbers.push_back(negative ? -tok().number : tok().number);
    } else {
      ErrorAt(tok().begin,
              "list items must be quoted strings or numbers, found " + Describe(tok()));
      return Bad();
    }
    if (c.texts.size() + c.numbers.size() > 1000) {
      ErrorAt(tok().begin, "a list holds at most 1000 items");
      return Bad();
    }
    first = false;
    if (!lex_.Advance()) return Bad();
  }
  if (first) {
    ErrorAt(begin, "a list needs at least one item");
    return Bad();
  }
  uint32_t end = tok().end;
  if (!lex_.Advance()) return Bad();
  return Literal(std::move(c), begin, end);
}

}  // namespace internal

Result<CompiledCriterion> Compile(std::string_view source, const CompileLimits& limits) {
  internal::Parser parser(source, limits);
  auto program = parser.Run();
  if (!program.ok()) return program.error();
  return CompiledCriterion(std::make_shared<const Program>(std::move(program).value()));
}

}  // namespace stream::rules
