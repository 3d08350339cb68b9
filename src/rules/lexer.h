// Internal: the lexer of the criteria language — splits a criterion's source into tokens
// (grammar in docs/criteria-language.md) and keeps the compilation's first error with its
// "line:column". Used by the parser; not for use outside src/rules.
//
// Contract: Advance() reads the next token into token() and returns true, or records an
// error and returns false. Only the first error is kept: later ErrorAt calls are ignored,
// so the message a user sees names the first fault. Blanks and '#' comments are skipped.
// The lexer views the source it was given; the source must outlive it.
//
// Thread safety: none; one lexer per compilation.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/date.h"
#include "core/result.h"

namespace stream::rules::internal {

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

bool IsDigit(char c);
// `s` in double quotes, as messages show a string of the language.
std::string Quote(std::string_view s);
// How a message names a token: "end of the criterion", "string \"x\"", "'and'".
std::string Describe(const Token& t);

class Lexer {
 public:
  explicit Lexer(std::string_view source) : src_(source) {}

  [[nodiscard]] bool Advance();
  const Token& token() const { return tok_; }
  bool IsKeyword(std::string_view word) const {
    return tok_.kind == Tok::kIdent && tok_.text == word;
  }
  // Whether a ':' follows the current token (blanks between allowed): a named argument.
  bool NextIsColon() const;

  // "line:column" (1-based) of a byte offset into the source.
  std::string Where(uint32_t offset) const;
  // Records a kInvalidArgument error at `offset` unless an error is already recorded.
  void ErrorAt(uint32_t offset, std::string message);
  const std::optional<Error>& error() const { return error_; }

 private:
  bool Finish(uint32_t start);
  bool LexString(uint32_t start);
  bool LexNumber(uint32_t start);

  std::string_view src_;
  size_t pos_ = 0;
  Token tok_;
  std::optional<Error> error_;
};

}  // namespace stream::rules::internal
