// The parser's facts and function calls: names looked up in the built-in table, arguments
// (positional, then named) checked against their parameters, and string literals checked
// against code lists (parser_internal.h).
#include <algorithm>
#include <array>
#include <span>

#include "core/validation.h"
#include "rules/parser_internal.h"
#include "rules/program.h"

namespace stream::rules::internal {
namespace {

std::string JoinCodes(std::span<const std::string_view> codes) {
  std::string out;
  for (auto c : codes) out += (out.empty() ? "" : ", ") + std::string(c);
  return out;
}

size_t Distance(std::string_view a, std::string_view b) {
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

// "did you mean" for near misses: same prefix or one edit away.
std::string Suggest(std::string_view name) {
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

}  // namespace

void Parser::CheckCode(int32_t fact_side, int32_t literal_side) {
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

int32_t Parser::ParseName() {
  Token name = tok();
  static constexpr std::array<std::string_view, 7> kKeywords = {"and",     "or",   "not",  "in",
                                                                "between", "true", "false"};
  if (name.text == "true" || name.text == "false") {
    if (!lex_.Advance()) return Bad();
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
  if (!lex_.Advance()) return Bad();
  Node n;
  n.builtin = index;
  n.type = spec.result;
  n.begin = name.begin;
  n.end = name.end;
  if (!spec.is_function) {
    if (tok().kind == Tok::kLParen) {
      ErrorAt(tok().begin, "'" + std::string(spec.name) + "' is a fact; it takes no arguments");
      return Bad();
    }
    n.kind = NodeKind::kFact;
    return Add(std::move(n));
  }
  n.kind = NodeKind::kCall;
  if (tok().kind != Tok::kLParen) {
    ErrorAt(tok().begin, "'" + std::string(spec.name) + "' is a function; call it as " +
                             std::string(spec.signature));
    return Bad();
  }
  if (!Enter(tok().begin) || !lex_.Advance()) return Bad();
  n.args.resize(spec.params.size());
  size_t positional = 0;
  bool named_seen = false, first = true;
  while (tok().kind != Tok::kRParen) {
    if (!first) {
      if (tok().kind != Tok::kComma) {
        ErrorAt(tok().begin, "expected ',' or ')' in the call of " + std::string(spec.name) +
                                 ", found " + Describe(tok()));
        return Bad();
      }
      if (!lex_.Advance()) return Bad();
    }
    first = false;
    // name ":" value, or a positional value.
    size_t param = spec.params.size();
    uint32_t arg_at = tok().begin;
    if (tok().kind == Tok::kIdent && lex_.NextIsColon()) {
      std::string_view pname = tok().text;
      for (size_t i = 0; i < spec.params.size(); ++i) {
        if (spec.params[i].name == pname) param = i;
      }
      if (param == spec.params.size()) {
        ErrorAt(arg_at, std::string(spec.name) + " has no argument '" + std::string(pname) +
                            "'; it is called as " + std::string(spec.signature));
        return Bad();
      }
      if (!lex_.Advance() || !lex_.Advance()) return Bad();  // name and ':'
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
    if (failed()) return Bad();
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
  n.end = tok().end;
  if (!lex_.Advance()) return Bad();
  if (spec.prepare != nullptr) spec.prepare(n);
  return Add(std::move(n));
}

bool Parser::CheckArgument(const BuiltinSpec& spec, const ParamSpec& param, const Node& value) {
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
          ErrorAt(
              value.begin,
              Quote(s) + " is not an agent name; agents are lower-case INNs, e.g. \"venetoclax\"");
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

}  // namespace stream::rules::internal
