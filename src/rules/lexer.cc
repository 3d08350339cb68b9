// The lexer of the criteria language: source text to tokens, and "line:column" for
// messages (lexer.h).
#include "rules/lexer.h"

#include <cctype>
#include <charconv>

namespace stream::rules::internal {
namespace {

bool IsIdentStart(char c) { return std::islower(static_cast<unsigned char>(c)) || c == '_'; }
bool IsIdentChar(char c) {
  return std::islower(static_cast<unsigned char>(c)) ||
         std::isdigit(static_cast<unsigned char>(c)) || c == '_';
}

}  // namespace

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

std::string Quote(std::string_view s) { return "\"" + std::string(s) + "\""; }

std::string Describe(const Token& t) {
  switch (t.kind) {
    case Tok::kEnd:
      return "end of the criterion";
    case Tok::kString:
      return "string " + Quote(t.value);
    default:
      return "'" + std::string(t.text) + "'";
  }
}

std::string Lexer::Where(uint32_t offset) const {
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

void Lexer::ErrorAt(uint32_t offset, std::string message) {
  if (!error_) error_ = Fail(ErrorCode::kInvalidArgument, std::move(message), Where(offset));
}

bool Lexer::Advance() {
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

bool Lexer::NextIsColon() const {
  size_t p = pos_;
  while (p < src_.size() && (src_[p] == ' ' || src_[p] == '\t')) ++p;
  return p < src_.size() && src_[p] == ':';
}

bool Lexer::Finish(uint32_t start) {
  tok_.end = static_cast<uint32_t>(pos_);
  tok_.text = src_.substr(start, pos_ - start);
  return true;
}

bool Lexer::LexString(uint32_t start) {
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

bool Lexer::LexNumber(uint32_t start) {
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

}  // namespace stream::rules::internal
