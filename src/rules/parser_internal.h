// Internal: the recursive-descent parser of the criteria language, which type-checks while
// it builds the tree (grammar in docs/criteria-language.md). Compile() in criteria.h is its
// only user; not for use outside src/rules.
//
// The expression grammar is in parser.cc; facts, function calls, their arguments and code
// lists are in parser_calls.cc.
//
// Contract: Run() returns a Program whose root is a boolean expression, or the first
// error (kInvalidArgument, "line:column" in Error::where). Every step stops at the first
// error: a failed step returns Bad(), a placeholder node, so callers need no null checks.
// CompileLimits bound the source size, the node count and the nesting depth.
//
// Thread safety: none; one parser per compilation, used once.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "rules/criteria.h"
#include "rules/lexer.h"
#include "rules/program.h"

namespace stream::rules::internal {

class Parser {
 public:
  Parser(std::string_view source, const CompileLimits& limits);
  Result<Program> Run();

 private:
  // --- errors and tokens (kept by the lexer) -------------------------------------------
  void ErrorAt(uint32_t offset, std::string message) { lex_.ErrorAt(offset, std::move(message)); }
  bool failed() const { return lex_.error().has_value(); }
  const Token& tok() const { return lex_.token(); }

  // --- tree (parser.cc) ------------------------------------------------------------------
  int32_t Add(Node n);
  // A node of `kind` and `type` over one operand (`not x`, `-x`) starting at `begin`.
  int32_t OneChild(NodeKind kind, Type type, uint32_t begin, int32_t kid);
  int Height(int32_t id);
  Node& At(int32_t id) { return program_.nodes[id]; }
  bool Enter(uint32_t where);
  // A placeholder so callers can continue after an error without null checks.
  int32_t Bad();
  int32_t Literal(Constant c, uint32_t begin, uint32_t end);

  // --- expressions (parser.cc) -----------------------------------------------------------
  int32_t Logical(NodeKind kind, std::vector<int32_t> kids, uint32_t begin);
  int32_t ParseOr();
  int32_t ParseAnd();
  int32_t ParseNot();
  int32_t ParseComparison();
  bool IsComparisonToken() const;
  int32_t ParseAdditive();
  int32_t ParseUnary();
  int32_t ParsePrimary();
  int32_t ParseList();

  // --- facts and calls (parser_calls.cc) ---------------------------------------------------
  int32_t ParseName();
  // Checks a string literal compared with a coded fact against the fact's code list.
  void CheckCode(int32_t fact_side, int32_t literal_side);
  bool CheckArgument(const BuiltinSpec& spec, const ParamSpec& param, const Node& value);

  const CompileLimits& limits_;
  Program program_;  // before lex_, which views program_.source
  Lexer lex_;
  int depth_ = 0;
  std::vector<int> heights_;
};

}  // namespace stream::rules::internal
