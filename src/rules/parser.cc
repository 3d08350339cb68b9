// Compile: a hand-written lexer and recursive-descent parser that type-checks while it
// builds the tree (grammar in docs/criteria-language.md).
#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <optional>

#include "core/validation.h"
#include "rules/criteria.h"
#include "rules/program.h"

namespace stream::rules {
namespace {

enum class Tok : uint8_t {
  kEnd,
  kIdent,
  kNumber,
  kString,
  kDate,
  kLParen,
  kRParen,
  kLBracket,
  kRBracket,
  kComma,
  kColon,
  kEq,
  kNe,
  kLt,
  kLe,
  kGt,
  kGe,
  kPlus,
  kMinus,
};

struct Token {
  Tok kind = Tok::kEnd;
  uint32_t begin = 0, end = 0;
  std::string_view text;  // identifiers and numbers: the source text
  std::string value;      // strings: unescaped
  double number = 0;
  Date date;
};

bool IsIdentStart(char c) { return std::islower(static_cast<unsigned char>(c)) || c == '_'; }
bool IsIdentChar(char c) {
  return std::islower(static_cast<unsigned char>(c)) ||
         std::isdigit(static_cast<unsigned char>(c)) || c == '_';
}
bool IsDigit(char c) { return c >= '0' && c <= '9'; }

std::string Quote(std::string_view s) { return "\"" + std::string(s) + "\""; }

std::string JoinCodes(std::span<const std::string_view> codes) {
  std::string out;
  for (auto c : codes) out += (out.empty() ? "" : ", ") + std::string(c);
  return out;
}

class Parser {
 public:
  Parser(std::string_view source, const CompileLimits& limits) : limits_(limits) {
    program_.source = std::string(source);
    src_ = program_.source;
  }

  Result<Program> Run() {
    if (src_.size() > limits_.max_source_bytes) {
      return Fail(ErrorCode::kInvalidArgument,
                  "criterion is " + std::to_string(src_.size()) + " bytes; the limit is " +
                      std::to_string(limits_.max_source_bytes),
                  "1:1");
    }
    if (!Advance()) return *error_;
    int32_t root = ParseOr();
    if (error_) return *error_;
    if (tok_.kind != Tok::kEnd) {
      ErrorAt(tok_.begin, "unexpected " + Describe(tok_) + " after the end of the expression");
      return *error_;
    }
    if (program_.nodes[root].type != Type::kBool) {
      ErrorAt(program_.nodes[root].begin,
              "a criterion must be a condition (true/false), but this is a " +
                  std::string(TypeName(program_.nodes[root].type)));
      return *error_;
    }
    program_.root = root;
    program_.depth = Height(root);
    return std::move(program_);
  }

 private:
  // --- errors and positions -----------------------------------------------------------
  std::string Where(uint32_t offset) const {
    int line = 1, col = 1;
    for (uint32_t i = 0; i < offset && i < src_.size(); ++i) {
      if (src_[i] == '\n') {
        ++line;
        col = 1;
      } else {
        ++col;
      }
    }
    return std::to_string(line) + ":" + std::to_string(col);
  }
  void ErrorAt(uint32_t offset, std::string message) {
    if (!error_) error_ = Fail(ErrorCode::kInvalidArgument, std::move(message), Where(offset));
  }
  static std::string Describe(const Token& t) {
    switch (t.kind) {
      case Tok::kEnd:
        return "end of the criterion";
      case Tok::kString:
        return "string " + Quote(t.value);
      default:
        return "'" + std::string(t.text) + "'";
    }
  }

  // --- lexer ----------------------------------------------------------------------------
  bool Advance() {
    tok_ = Token{};
    // Skip blanks and '#' comments.
    while (pos_ < src_.size()) {
      char c = src_[pos_];
      if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
        ++pos_;
      } else if (c == '#') {
        while (pos_ < src_.size() && src_[pos_] != '\n') ++pos_;
      } else {
        break;
      }
    }
    uint32_t start = static_cast<uint32_t>(pos_);
    tok_.begin = start;
    if (pos_ >= src_.size()) {
      tok_.kind = Tok::kEnd;
      tok_.end = start;
      return true;
    }
    char c = src_[pos_];
    auto single = [&](Tok k) {
      ++pos_;
      tok_.kind = k;
      return Finish(start);
    };
    auto two = [&](char next, Tok with, Tok without) {
      ++pos_;
      if (pos_ < src_.size() && src_[pos_] == next) {
        ++pos_;
        tok_.kind = with;
      } else {
        tok_.kind = without;
      }
      return Finish(start);
    };
    switch (c) {
      case '(':
        return single(Tok::kLParen);
      case ')':
        return single(Tok::kRParen);
      case '[':
        return single(Tok::kLBracket);
      case ']':
        return single(Tok::kRBracket);
      case ',':
        return single(Tok::kComma);
      case ':':
        return single(Tok::kColon);
      case '+':
        return single(Tok::kPlus);
      case '-':
        return single(Tok::kMinus);
      case '<':
        return two('=', Tok::kLe, Tok::kLt);
      case '>':
        return two('=', Tok::kGe, Tok::kGt);
      case '=':
        if (pos_ + 1 < src_.size() && src_[pos_ + 1] == '=') {
          pos_ += 2;
          tok_.kind = Tok::kEq;
          return Finish(start);
        }
        ErrorAt(start, "'=' alone is not an operator; write == to compare");
        return false;
      case '!':
        if (pos_ + 1 < src_.size() && src_[pos_ + 1] == '=') {
          pos_ += 2;
          tok_.kind = Tok::kNe;
          return Finish(start);
        }
        ErrorAt(start, "'!' alone is not an operator; write `not` to negate or != to compare");
        return false;
      case '"':
        return LexString(start);
      default:
        break;
    }
    if (IsDigit(c)) return LexNumber(start);
    if (IsIdentStart(c)) {
      while (pos_ < src_.size() &&
             (IsIdentChar(src_[pos_]) ||
              (src_[pos_] == '.' && pos_ + 1 < src_.size() && IsIdentStart(src_[pos_ + 1])))) {
        ++pos_;
      }
      tok_.kind = Tok::kIdent;
      return Finish(start);
    }
    if (std::isupper(static_cast<unsigned char>(c))) {
      ErrorAt(start, "names are lower case (gene symbols and codes go in quotes, e.g. \"FLT3\")");
      return false;
    }
    if (static_cast<unsigned char>(c) < 0x20 || static_cast<unsigned char>(c) >= 0x7f) {
      ErrorAt(start,
              "unexpected character (byte " + std::to_string(static_cast<unsigned char>(c)) + ")");
    } else {
      ErrorAt(start, std::string("unexpected character '") + c + "'");
    }
    return false;
  }
  bool Finish(uint32_t start) {
    tok_.end = static_cast<uint32_t>(pos_);
    tok_.text = src_.substr(start, pos_ - start);
    return true;
  }
  bool LexString(uint32_t start) {
    ++pos_;
    std::string value;
    while (true) {
      if (pos_ >= src_.size() || src_[pos_] == '\n') {
        ErrorAt(start, "string is not closed with \"");
        return false;
      }
      char c = src_[pos_++];
      if (c == '"') break;
      if (c == '\\') {
        if (pos_ < src_.size() && (src_[pos_] == '"' || src_[pos_] == '\\')) {
          value += src_[pos_++];
          continue;
        }
        ErrorAt(static_cast<uint32_t>(pos_ - 1), "only \\\" and \\\\ may be escaped in a string");
        return false;
      }
      value += c;
    }
    tok_.kind = Tok::kString;
    tok_.value = std::move(value);
    return Finish(start);
  }
  bool LexNumber(uint32_t start) {
    // A date literal: YYYY-MM-DD.
    if (pos_ + 10 <= src_.size() && IsDigit(src_[pos_ + 1]) && IsDigit(src_[pos_ + 2]) &&
        IsDigit(src_[pos_ + 3]) && src_[pos_ + 4] == '-' && IsDigit(src_[pos_ + 5]) &&
        IsDigit(src_[pos_ + 6]) && src_[pos_ + 7] == '-' && IsDigit(src_[pos_ + 8]) &&
        IsDigit(src_[pos_ + 9])) {
      auto d = Date::Parse(src_.substr(pos_, 10));
      if (!d) {
        ErrorAt(start, "'" + std::string(src_.substr(pos_, 10)) + "' is not a valid date");
        return false;
      }
      pos_ += 10;
      tok_.kind = Tok::kDate;
      tok_.date = *d;
      return Finish(start);
    }
    while (pos_ < src_.size() && IsDigit(src_[pos_])) ++pos_;
    if (pos_ + 1 < src_.size() && src_[pos_] == '.' && IsDigit(src_[pos_ + 1])) {
      ++pos_;
      while (pos_ < src_.size() && IsDigit(src_[pos_])) ++pos_;
    }
    if (pos_ < src_.size() && (IsIdentChar(src_[pos_]) || src_[pos_] == '.')) {
      ErrorAt(start, "malformed number; put a space between a number and its unit");
      return false;
    }
    double v = 0;
    auto [p, ec] = std::from_chars(src_.data() + start, src_.data() + pos_, v);
    if (ec != std::errc() || p != src_.data() + pos_ || pos_ - start > 15) {
      ErrorAt(start, "number out of range");
      return false;
    }
    tok_.kind = Tok::kNumber;
    tok_.number = v;
    return Finish(start);
  }

  bool IsKeyword(std::string_view word) const {
    return tok_.kind == Tok::kIdent && tok_.text == word;
  }

  // --- tree -------------------------------------------------------------------------------
  int32_t Add(Node n) {
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
  int Height(int32_t id) {
    // Heights are cached in a side vector that grows with the node list.
    if (heights_.size() < program_.nodes.size()) heights_.resize(program_.nodes.size(), -1);
    if (heights_[id] >= 0) return heights_[id];
    int h = 0;
    for (int32_t k : program_.nodes[id].kids) h = std::max(h, Height(k));
    heights_[id] = h + 1;
    return h + 1;
  }
  Node& At(int32_t id) { return program_.nodes[id]; }

  bool Enter(uint32_t where) {
    if (++depth_ > limits_.max_depth) {
      ErrorAt(where,
              "expression nested deeper than " + std::to_string(limits_.max_depth) + " levels");
      return false;
    }
    return true;
  }

  // A placeholder so callers can continue after an error without null checks.
  int32_t Bad() {
    if (program_.nodes.empty()) program_.nodes.push_back(Node{});
    return 0;
  }

  int32_t Logical(NodeKind kind, std::vector<int32_t> kids, uint32_t begin) {
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
  int32_t ParseOr() {
    if (!Enter(tok_.begin)) return Bad();
    uint32_t begin = tok_.begin;
    std::vector<int32_t> kids = {ParseAnd()};
    while (!error_ && IsKeyword("or")) {
      if (!Advance()) break;
      kids.push_back(ParseAnd());
    }
    --depth_;
    if (error_) return Bad();
    return kids.size() == 1 ? kids[0] : Logical(NodeKind::kOr, std::move(kids), begin);
  }
  // and_expr := not_expr { "and" not_expr }
  int32_t ParseAnd() {
    uint32_t begin = tok_.begin;
    std::vector<int32_t> kids = {ParseNot()};
    while (!error_ && IsKeyword("and")) {
      if (!Advance()) break;
      kids.push_back(ParseNot());
    }
    if (error_) return Bad();
    return kids.size() == 1 ? kids[0] : Logical(NodeKind::kAnd, std::move(kids), begin);
  }
  // not_expr := "not" not_expr | comparison
  int32_t ParseNot() {
    if (IsKeyword("not")) {
      uint32_t begin = tok_.begin;
      if (!Enter(begin) || !Advance()) return Bad();
      int32_t kid = ParseNot();
      --depth_;
      if (error_) return Bad();
      if (At(kid).type != Type::kBool) {
        ErrorAt(At(kid).begin,
                "`not` needs a condition, but this is a " + std::string(TypeName(At(kid).type)));
        return Bad();
      }
      Node n;
      n.kind = NodeKind::kNot;
      n.begin = begin;
      n.end = At(kid).end;
      n.kids = {kid};
      return Add(std::move(n));
    }
    return ParseComparison();
  }

  static bool Ordered(Type t) {
    return t == Type::kNumber || t == Type::kDate || t == Type::kDuration;
  }

  // Checks a string literal compared with a coded fact against the fact's code list.
  void CheckCode(int32_t fact_side, int32_t literal_side) {
    const Node& f = At(fact_side);
    const Node& l = At(literal_side);
    if (f.kind != NodeKind::kFact && f.kind != NodeKind::kCall) return;
    auto codes = BuiltinTable()[f.builtin].codes;
    if (codes.empty() || l.kind != NodeKind::kLiteral) return;
    auto check = [&](const std::string& code) {
      if (std::find(codes.begin(), codes.end(), code) == codes.end()) {
        ErrorAt(l.begin, Quote(code) + " is not a code of " +
                             std::string(BuiltinTable()[f.builtin].name) +
                             "; expected one of: " + JoinCodes(codes));
      }
    };
    if (l.type == Type::kString) check(l.value.text);
    if (l.type == Type::kStringList) {
      for (const auto& c : l.value.texts) check(c);
    }
  }

  // comparison := additive [ cmp additive | ["not"] "in" additive | "between" additive "and"
  // additive ]
  int32_t ParseComparison() {
    int32_t left = ParseAdditive();
    if (error_) return Bad();
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
    switch (tok_.kind) {
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
      uint32_t op_at = tok_.begin;
      std::string op_text(tok_.text);
      if (!Advance()) return Bad();
      int32_t right = ParseAdditive();
      if (error_) return Bad();
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
      if (error_) return Bad();
      Node n = make(NodeKind::kCompare, {left, right});
      n.op = *op;
      if (IsComparisonToken()) {
        ErrorAt(tok_.begin,
                "comparisons do not chain; write `x between a and b` or join two comparisons with "
                "`and`");
        return Bad();
      }
      return Add(std::move(n));
    }
    bool negated = false;
    if (IsKeyword("not")) {
      // Only "not in" may follow an operand.
      if (!Advance()) return Bad();
      if (!IsKeyword("in")) {
        ErrorAt(tok_.begin, "expected `in` after `not` here");
        return Bad();
      }
      negated = true;
    }
    if (IsKeyword("in")) {
      uint32_t op_at = tok_.begin;
      if (!Advance()) return Bad();
      int32_t right = ParseAdditive();
      if (error_) return Bad();
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
      if (error_) return Bad();
      return Add(make(negated ? NodeKind::kNotIn : NodeKind::kIn, {left, right}));
    }
    if (IsKeyword("between")) {
      uint32_t op_at = tok_.begin;
      if (!Advance()) return Bad();
      int32_t low = ParseAdditive();
      if (error_) return Bad();
      if (!IsKeyword("and")) {
        ErrorAt(tok_.begin, "expected `and` in `between low and high`, found " + Describe(tok_));
        return Bad();
      }
      if (!Advance()) return Bad();
      int32_t high = ParseAdditive();
      if (error_) return Bad();
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
  bool IsComparisonToken() const {
    return tok_.kind == Tok::kEq || tok_.kind == Tok::kNe || tok_.kind == Tok::kLt ||
           tok_.kind == Tok::kLe || tok_.kind == Tok::kGt || tok_.kind == Tok::kGe;
  }

  // additive := unary { ("+" | "-") unary }
  int32_t ParseAdditive() {
    int32_t left = ParseUnary();
    while (!error_ && (tok_.kind == Tok::kPlus || tok_.kind == Tok::kMinus)) {
      bool plus = tok_.kind == Tok::kPlus;
      uint32_t op_at = tok_.begin;
      if (!Advance()) return Bad();
      int32_t right = ParseUnary();
      if (error_) return Bad();
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
    return error_ ? Bad() : left;
  }

  // unary := "-" unary | primary
  int32_t ParseUnary() {
    if (tok_.kind == Tok::kMinus) {
      uint32_t begin = tok_.begin;
      if (!Enter(begin) || !Advance()) return Bad();
      int32_t kid = ParseUnary();
      --depth_;
      if (error_) return Bad();
      if (At(kid).type != Type::kNumber) {
        ErrorAt(begin, "unary minus needs a number, not a " + std::string(TypeName(At(kid).type)));
        return Bad();
      }
      if (At(kid).kind == NodeKind::kLiteral) {  // fold -5 into a literal
        At(kid).value.number = -At(kid).value.number;
        At(kid).begin = begin;
        return kid;
      }
      Node n;
      n.kind = NodeKind::kNeg;
      n.type = Type::kNumber;
      n.begin = begin;
      n.end = At(kid).end;
      n.kids = {kid};
      return Add(std::move(n));
    }
    return ParsePrimary();
  }

  static std::optional<Duration> Unit(std::string_view word, int64_t n) {
    if (word == "day" || word == "days") return Duration{0, n};
    if (word == "week" || word == "weeks") return Duration{0, 7 * n};
    if (word == "month" || word == "months") return Duration{n, 0};
    if (word == "year" || word == "years") return Duration{12 * n, 0};
    return std::nullopt;
  }

  int32_t Literal(Constant c, uint32_t begin, uint32_t end) {
    Node n;
    n.kind = NodeKind::kLiteral;
    n.type = c.type;
    n.begin = begin;
    n.end = end;
    c.present = true;
    n.value = std::move(c);
    return Add(std::move(n));
  }

  int32_t ParsePrimary() {
    Token t = tok_;
    switch (t.kind) {
      case Tok::kNumber: {
        if (!Advance()) return Bad();
        if (tok_.kind == Tok::kIdent) {
          double whole = t.number;
          if (auto d = Unit(tok_.text, static_cast<int64_t>(whole))) {
            if (whole != static_cast<double>(static_cast<int64_t>(whole)) || whole > 100000) {
              ErrorAt(
                  t.begin,
                  "a duration is a whole number of days, weeks, months or years (at most 100000)");
              return Bad();
            }
            uint32_t end = tok_.end;
            if (!Advance()) return Bad();
            Constant c;
            c.type = Type::kDuration;
            c.duration = *d;
            return Literal(std::move(c), t.begin, end);
          }
        }
        Constant c;
        c.type = Type::kNumber;
        c.number = t.number;
        return Literal(std::move(c), t.begin, t.end);
      }
      case Tok::kString: {
        if (!Advance()) return Bad();
        Constant c;
        c.type = Type::kString;
        c.text = t.value;
        return Literal(std::move(c), t.begin, t.end);
      }
      case Tok::kDate: {
        if (!Advance()) return Bad();
        Constant c;
        c.type = Type::kDate;
        c.date = t.date;
        return Literal(std::move(c), t.begin, t.end);
      }
      case Tok::kLParen: {
        if (!Enter(t.begin) || !Advance()) return Bad();
        int32_t inner = ParseOr();
        --depth_;
        if (error_) return Bad();
        if (tok_.kind != Tok::kRParen) {
          ErrorAt(tok_.begin, "expected ')' to close the '(' at " + Where(t.begin) + ", found " +
                                  Describe(tok_));
          return Bad();
        }
        At(inner).begin = std::min(At(inner).begin, t.begin);
        At(inner).end = tok_.end;
        if (!Advance()) return Bad();
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
  int32_t ParseList() {
    uint32_t begin = tok_.begin;
    if (!Advance()) return Bad();
    Constant c;
    bool first = true;
    while (tok_.kind != Tok::kRBracket) {
      if (!first) {
        if (tok_.kind != Tok::kComma) {
          ErrorAt(tok_.begin, "expected ',' or ']' in the list, found " + Describe(tok_));
          return Bad();
        }
        if (!Advance()) return Bad();
      }
      bool negative = false;
      if (tok_.kind == Tok::kMinus) {
        negative = true;
        if (!Advance()) return Bad();
      }
      if (tok_.kind == Tok::kString && !negative) {
        if (!first && c.type != Type::kStringList) {
          ErrorAt(tok_.begin, "a list holds only strings or only numbers");
          return Bad();
        }
        c.type = Type::kStringList;
        c.texts.push_back(tok_.value);
      } else if (tok_.kind == Tok::kNumber) {
        if (!first && c.type != Type::kNumberList) {
          ErrorAt(tok_.begin, "a list holds only strings or only numbers");
          return Bad();
        }
        c.type = Type::kNumberList;
        c.numbers.push_back(negative ? -tok_.number : tok_.number);
      } else {
        ErrorAt(tok_.begin,
                "list items must be quoted strings or numbers, found " + Describe(tok_));
        return Bad();
      }
      if (c.texts.size() + c.numbers.size() > 1000) {
        ErrorAt(tok_.begin, "a list holds at most 1000 items");
        return Bad();
      }
      first = false;
      if (!Advance()) return Bad();
    }
    if (first) {
      ErrorAt(begin, "a list needs at least one item");
      return Bad();
    }
    uint32_t end = tok_.end;
    if (!Advance()) return Bad();
    return Literal(std::move(c), begin, end);
  }

  int32_t ParseName() {
    Token name = tok_;
    static constexpr std::array<std::string_view, 7> kKeywords = {"and",     "or",   "not",  "in",
                                                                  "between", "true", "false"};
    if (name.text == "true" || name.text == "false") {
      if (!Advance()) return Bad();
      Constant c;
      c.type = Type::kBool;
      c.boolean = name.text == "true";
      return Literal(std::move(c), name.begin, name.end);
    }
    if (std::find(kKeywords.begin(), kKeywords.end(), name.text) != kKeywords.end()) {
      ErrorAt(name.begin, "`" + std::string(name.text) + "` cannot start a value here");
      return Bad();
    }
    int index = FindBuiltin(name.text);
    if (index < 0) {
      ErrorAt(name.begin,
              "unknown fact or function '" + std::string(name.text) + "'" + Suggest(name.text));
      return Bad();
    }
    const BuiltinSpec& spec = BuiltinTable()[index];
    if (!Advance()) return Bad();
    Node n;
    n.builtin = index;
    n.type = spec.result;
    n.begin = name.begin;
    n.end = name.end;
    if (!spec.is_function) {
      if (tok_.kind == Tok::kLParen) {
        ErrorAt(tok_.begin, "'" + std::string(spec.name) + "' is a fact; it takes no arguments");
        return Bad();
      }
      n.kind = NodeKind::kFact;
      return Add(std::move(n));
    }
    n.kind = NodeKind::kCall;
    if (tok_.kind != Tok::kLParen) {
      ErrorAt(tok_.begin, "'" + std::string(spec.name) + "' is a function; call it as " +
                              std::string(spec.signature));
      return Bad();
    }
    if (!Enter(tok_.begin) || !Advance()) return Bad();
    n.args.resize(spec.params.size());
    size_t positional = 0;
    bool named_seen = false, first = true;
    while (tok_.kind != Tok::kRParen) {
      if (!first) {
        if (tok_.kind != Tok::kComma) {
          ErrorAt(tok_.begin, "expected ',' or ')' in the call of " + std::string(spec.name) +
                                  ", found " + Describe(tok_));
          return Bad();
        }
        if (!Advance()) return Bad();
      }
      first = false;
      // name ":" value, or a positional value.
      size_t param = spec.params.size();
      uint32_t arg_at = tok_.begin;
      if (tok_.kind == Tok::kIdent && pos_ < src_.size() && NextIsColon()) {
        std::string_view pname = tok_.text;
        for (size_t i = 0; i < spec.params.size(); ++i) {
          if (spec.params[i].name == pname) param = i;
        }
        if (param == spec.params.size()) {
          ErrorAt(arg_at, std::string(spec.name) + " has no argument '" + std::string(pname) +
                              "'; it is called as " + std::string(spec.signature));
          return Bad();
        }
        if (!Advance() || !Advance()) return Bad();  // name and ':'
        named_seen = true;
      } else {
        if (named_seen) {
          ErrorAt(arg_at, "positional arguments must come before named ones");
          return Bad();
        }
        if (positional >= spec.params.size()) {
          ErrorAt(arg_at, std::string(spec.name) + " takes at most " +
                              std::to_string(spec.params.size()) +
                              " argument(s): " + std::string(spec.signature));
          return Bad();
        }
        param = positional++;
      }
      if (n.args[param].present) {
        ErrorAt(arg_at, "argument '" + std::string(spec.params[param].name) + "' given twice");
        return Bad();
      }
      int32_t value = ParseOr();
      if (error_) return Bad();
      if (!CheckArgument(spec, spec.params[param], At(value))) return Bad();
      n.args[param] = At(value).value;
      n.args[param].present = true;
      program_.nodes.pop_back();  // the literal is folded into the call
      heights_.resize(std::min(heights_.size(), program_.nodes.size()));
    }
    --depth_;
    for (size_t i = 0; i < spec.params.size(); ++i) {
      if (spec.params[i].required && !n.args[i].present) {
        ErrorAt(name.begin, std::string(spec.name) + " needs its '" +
                                std::string(spec.params[i].name) +
                                "' argument: " + std::string(spec.signature));
        return Bad();
      }
    }
    n.end = tok_.end;
    if (!Advance()) return Bad();
    if (spec.prepare != nullptr) spec.prepare(n);
    return Add(std::move(n));
  }

  bool NextIsColon() const {
    size_t p = pos_;
    while (p < src_.size() && (src_[p] == ' ' || src_[p] == '\t')) ++p;
    return p < src_.size() && src_[p] == ':';
  }

  bool CheckArgument(const BuiltinSpec& spec, const ParamSpec& param, const Node& value) {
    std::string what = "argument '" + std::string(param.name) + "' of " + std::string(spec.name);
    if (value.kind != NodeKind::kLiteral) {
      ErrorAt(value.begin,
              what + " must be a literal value (a quoted string, a number, a duration or a list)");
      return false;
    }
    if (value.type != param.type) {
      ErrorAt(value.begin, what + " must be a " + std::string(TypeName(param.type)) + ", not a " +
                               std::string(TypeName(value.type)));
      return false;
    }
    std::vector<std::string> texts = value.value.texts;
    if (value.type == Type::kString) texts = {value.value.text};
    for (const auto& s : texts) {
      if (!param.codes.empty() &&
          std::find(param.codes.begin(), param.codes.end(), s) == param.codes.end()) {
        ErrorAt(value.begin, Quote(s) + " is not a valid " + what +
                                 "; expected one of: " + JoinCodes(param.codes));
        return false;
      }
      switch (param.check) {
        case ParamSpec::Check::kGene:
          if (!IsHgncSymbol(s)) {
            ErrorAt(value.begin,
                    Quote(s) + " is not an HGNC gene symbol (upper case, e.g. \"FLT3\")");
            return false;
          }
          break;
        case ParamSpec::Check::kAgent:
          if (s.empty() || !std::all_of(s.begin(), s.end(), [](char c) {
                return (c >= 'a' && c <= 'z') || IsDigit(c) || c == '-' || c == ' ';
              })) {
            ErrorAt(value.begin,
                    Quote(s) +
                        " is not an agent name; agents are lower-case INNs, e.g. \"venetoclax\"");
            return false;
          }
          break;
        case ParamSpec::Check::kFusionPattern: {
          auto p = s.find("::");
          std::string_view a = std::string_view(s).substr(0, p == std::string::npos ? s.size() : p);
          std::string_view b =
              p == std::string::npos ? std::string_view{} : std::string_view(s).substr(p + 2);
          bool ok = p != std::string::npos && (a == "*" || IsHgncSymbol(a)) &&
                    (b == "*" || IsHgncSymbol(b)) && !(a == "*" && b == "*");
          if (!ok) {
            ErrorAt(value.begin, Quote(s) +
                                     " is not a fusion pattern; write GENE1::GENE2, with '*' for "
                                     "any partner, e.g. \"KMT2A::*\"");
            return false;
          }
          break;
        }
        case ParamSpec::Check::kNone:
          break;
      }
    }
    if (param.type == Type::kNumber && value.value.number < 0) {
      ErrorAt(value.begin, what + " cannot be negative");
      return false;
    }
    return true;
  }

  // "did you mean" for near misses: same prefix or one edit away.
  static std::string Suggest(std::string_view name) {
    std::string best;
    size_t best_score = 3;
    for (const auto& b : BuiltinTable()) {
      size_t d = Distance(name, b.name);
      if (d < best_score) {
        best_score = d;
        best = std::string(b.name);
      }
    }
    return best.empty() ? "" : "; did you mean '" + best + "'?";
  }
  static size_t Distance(std::string_view a, std::string_view b) {
    if (a.size() > 64 || b.size() > 64) return 99;
    std::vector<size_t> prev(b.size() + 1), cur(b.size() + 1);
    for (size_t j = 0; j <= b.size(); ++j) prev[j] = j;
    for (size_t i = 1; i <= a.size(); ++i) {
      cur[0] = i;
      for (size_t j = 1; j <= b.size(); ++j) {
        cur[j] =
            std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)});
      }
      std::swap(prev, cur);
    }
    return prev[b.size()];
  }

  const CompileLimits& limits_;
  Program program_;
  std::string_view src_;
  size_t pos_ = 0;
  Token tok_;
  int depth_ = 0;
  std::vector<int> heights_;
  std::optional<Error> error_;
};

}  // namespace

Result<CompiledCriterion> Compile(std::string_view source, const CompileLimits& limits) {
  Parser parser(source, limits);
  auto program = parser.Run();
  if (!program.ok()) return program.error();
  return CompiledCriterion(std::make_shared<const Program>(std::move(program).value()));
}

}  // namespace stream::rules
