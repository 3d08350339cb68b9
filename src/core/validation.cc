#include "core/validation.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <map>
#include <optional>
#include <string>

namespace stream {
namespace {

std::string Quote(std::string_view s) { return "'" + std::string(s) + "'"; }

bool IsValidFormat(TextFormat format, std::string_view s) {
  switch (format) {
    case TextFormat::kFree:
      return true;
    case TextFormat::kGeneSymbol:
      return IsHgncSymbol(s);
    case TextFormat::kFusion: {
      const size_t sep = s.find("::");
      return sep != std::string_view::npos && IsHgncSymbol(s.substr(0, sep)) &&
             IsHgncSymbol(s.substr(sep + 2));
    }
    case TextFormat::kHgvs:
      return s.size() > 2 && s[1] == '.' &&
             std::string_view("cpgrmn").find(s[0]) != std::string_view::npos;
    case TextFormat::kIscn:
      return !s.empty() && std::isdigit(static_cast<unsigned char>(s[0])) &&
             s.find(',') != std::string_view::npos;
    case TextFormat::kMeddraCode:
      return s.size() == 8 &&
             std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
    case TextFormat::kCountryCode:
      return s.size() == 2 && std::isupper(static_cast<unsigned char>(s[0])) &&
             std::isupper(static_cast<unsigned char>(s[1]));
    case TextFormat::kItemAnswers:
      return ParseItemAnswers(s).has_value();
  }
  return false;
}

bool InCodeList(const FieldSpec& field, std::string_view code) {
  return field.codes.empty() ||
         std::find(field.codes.begin(), field.codes.end(), code) != field.codes.end();
}

std::string CodeListText(const FieldSpec& field) {
  std::string out;
  for (auto code : field.codes) {
    if (!out.empty()) out += ", ";
    out += code;
  }
  return out;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

Error FieldError(const FieldSpec& field, std::string message) {
  return Fail(ErrorCode::kInvalidArgument, std::move(message), std::string(field.name));
}

// The score of a performance status must lie on its scale: ECOG 0-5 (Oken et al., 1982),
// Karnofsky (Karnofsky & Burchenal, 1949) and Lansky (Lansky et al., 1987) 0-100 in steps
// of 10. The field's own bounds (0-100) are checked before; this needs the scale.
std::optional<Error> PerformanceScoreError(const KindSpec& kind, const std::vector<Value>& values) {
  const auto* scale = std::get_if<std::string>(&values[kind.IndexOf("scale")]);
  const auto* score = std::get_if<int64_t>(&values[kind.IndexOf("score")]);
  if (!scale || !score) return std::nullopt;
  const FieldSpec& field = *kind.FindField("score");
  if (*scale == "ecog" && *score > 5) {
    return FieldError(field, std::to_string(*score) + " is not an ECOG score: ECOG runs 0 to 5");
  }
  if ((*scale == "karnofsky" || *scale == "lansky") && *score % 10 != 0) {
    return FieldError(field, std::to_string(*score) + " is not a " +
                                 (*scale == "lansky" ? "Lansky" : "Karnofsky") +
                                 " score: it runs 0 to 100 in steps of 10");
  }
  return std::nullopt;
}

}  // namespace

bool IsHgncSymbol(std::string_view s) {
  if (s.empty() || s.size() > 32) return false;
  if (!std::isupper(static_cast<unsigned char>(s[0])) &&
      !std::isdigit(static_cast<unsigned char>(s[0])))
    return false;
  // HGNC symbols are upper case, digits and '-'; "orf" stays lower case (C10orf54).
  for (size_t i = 0; i < s.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    if (std::isupper(c) || std::isdigit(c) || c == '-') continue;
    if (s.substr(i, 3) == "orf") {
      i += 2;
      continue;
    }
    return false;
  }
  return true;
}

Result<Value> ParseValue(const FieldSpec& field, std::string_view raw) {
  const std::string_view text = Trim(raw);
  if (text.empty()) return Value{};
  switch (field.type) {
    case FieldType::kInteger: {
      int64_t v = 0;
      auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
      if (ec != std::errc() || end != text.data() + text.size()) {
        return FieldError(field, "expected a whole number, got " + Quote(text));
      }
      return Value{v};
    }
    case FieldType::kNumber: {
      double v = 0;
      auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
      if (ec != std::errc() || end != text.data() + text.size() || !std::isfinite(v)) {
        return FieldError(field, "expected a number, got " + Quote(text));
      }
      return Value{v};
    }
    case FieldType::kDate: {
      auto d = Date::Parse(text);
      if (!d) return FieldError(field, "expected a date YYYY-MM-DD, got " + Quote(text));
      return Value{*d};
    }
    case FieldType::kBoolean:
      if (text == "true" || text == "yes" || text == "1") return Value{true};
      if (text == "false" || text == "no" || text == "0") return Value{false};
      return FieldError(field, "expected true or false, got " + Quote(text));
    case FieldType::kText:
    case FieldType::kCode:
      return Value{std::string(text)};
    case FieldType::kCodeSet: {
      CodeSet set;
      size_t start = 0;
      while (start <= text.size()) {
        size_t end = text.find(';', start);
        if (end == std::string_view::npos) end = text.size();
        auto code = Trim(text.substr(start, end - start));
        if (!code.empty()) set.emplace_back(code);
        start = end + 1;
      }
      return Value{std::move(set)};
    }
  }
  return FieldError(field, "unsupported field type");
}

Status CheckValue(const FieldSpec& field, const Value& value) {
  if (IsNull(value)) return Ok();
  switch (field.type) {
    case FieldType::kInteger:
    case FieldType::kNumber: {
      double v = 0;
      if (const auto* i = std::get_if<int64_t>(&value)) {
        v = static_cast<double>(*i);
      } else if (const auto* d = std::get_if<double>(&value);
                 d && field.type == FieldType::kNumber) {
        v = *d;
      } else {
        return FieldError(field, field.type == FieldType::kInteger ? "expected a whole number"
                                                                   : "expected a number");
      }
      if ((field.min && v < *field.min) || (field.max && v > *field.max)) {
        return FieldError(field, ToText(value) + " is out of range [" + ToText(Value{*field.min}) +
                                     ", " + ToText(Value{*field.max}) + "]" +
                                     (field.unit.empty() ? "" : " " + std::string(field.unit)));
      }
      return Ok();
    }
    case FieldType::kDate:
      if (!std::holds_alternative<Date>(value)) return FieldError(field, "expected a date");
      return Ok();
    case FieldType::kBoolean:
      if (!std::holds_alternative<bool>(value)) return FieldError(field, "expected true or false");
      return Ok();
    case FieldType::kText:
    case FieldType::kCode: {
      const auto* s = std::get_if<std::string>(&value);
      if (!s) return FieldError(field, "expected text");
      if (field.type == FieldType::kCode && !InCodeList(field, *s)) {
        return FieldError(field,
                          "unknown code " + Quote(*s) + "; expected one of " + CodeListText(field));
      }
      if (!IsValidFormat(field.format, *s)) {
        return FieldError(field, Quote(*s) + " is not " + std::string(Describe(field.format)));
      }
      if (s->size() > 4000) return FieldError(field, "text longer than 4000 characters");
      for (char c : *s) {  // NUL and other control characters (tab and line breaks allowed)
        const auto u = static_cast<unsigned char>(c);
        if ((u < 0x20 && c != '\t' && c != '\n' && c != '\r') || u == 0x7f)
          return FieldError(field, "contains a control character (code " + std::to_string(u) + ")");
      }
      return Ok();
    }
    case FieldType::kCodeSet: {
      const auto* set = std::get_if<CodeSet>(&value);
      if (!set) return FieldError(field, "expected a list of codes separated by ';'");
      for (const auto& code : *set) {
        if (!InCodeList(field, code)) {
          return FieldError(
              field, "unknown code " + Quote(code) + "; expected some of " + CodeListText(field));
        }
        if (code.find_first_of(";\n") != std::string::npos || code.empty()) {
          return FieldError(field, "codes may not be empty or contain ';'");
        }
      }
      return Ok();
    }
  }
  return FieldError(field, "unsupported field type");
}

std::vector<Error> FieldErrors(const KindSpec& kind, const std::vector<Result<Value>>& fields) {
  std::vector<Error> errors;
  std::vector<bool> valid(fields.size(), false);
  if (fields.size() != kind.fields.size()) {
    errors.push_back(
        Fail(ErrorCode::kInternal, "record has " + std::to_string(fields.size()) + " values for " +
                                       std::to_string(kind.fields.size()) + " fields"));
    return errors;
  }
  for (size_t i = 0; i < kind.fields.size(); ++i) {
    const FieldSpec& field = kind.fields[i];
    if (!fields[i].ok()) {
      errors.push_back(fields[i].error());
      continue;
    }
    const Value& value = *fields[i];
    const bool empty = IsNull(value) ||
                       (std::holds_alternative<CodeSet>(value) && std::get<CodeSet>(value).empty());
    if (field.required && empty) {
      errors.push_back(FieldError(field, "is required"));
      continue;
    }
    if (Status s = CheckValue(field, value); !s.ok()) {
      errors.push_back(s.error());
    } else {
      valid[i] = true;
    }
  }
  for (size_t i = 0; i < kind.fields.size(); ++i) {
    const FieldSpec& later = kind.fields[i];
    if (later.not_before.empty() || !fields[i].ok()) continue;
    const auto& earlier = fields[kind.IndexOf(later.not_before)];
    const auto* b = std::get_if<Date>(&*fields[i]);
    const auto* a = earlier.ok() ? std::get_if<Date>(&*earlier) : nullptr;
    if (a && b && *b < *a) {
      errors.push_back(FieldError(later, b->ToString() + " is before " +
                                             std::string(later.not_before) + " " + a->ToString()));
    }
  }
  if (kind.name == "performance_status") {
    // Only values valid on their own: an unreadable scale is reported once, as read.
    std::vector<Value> values(fields.size());
    for (size_t i = 0; i < fields.size(); ++i) {
      if (valid[i]) values[i] = *fields[i];
    }
    if (auto e = PerformanceScoreError(kind, values)) errors.push_back(std::move(*e));
  }
  return errors;
}

std::vector<Error> ValidateRecord(const KindSpec& kind, const std::vector<Value>& values) {
  return FieldErrors(kind, std::vector<Result<Value>>(values.begin(), values.end()));
}

std::optional<std::map<int, int>> ParseItemAnswers(std::string_view text) {
  std::map<int, int> answers;
  if (text.empty()) return answers;
  while (true) {
    const size_t end = std::min(text.find(';'), text.size());
    const std::string_view pair = text.substr(0, end);
    const size_t eq = pair.find('=');
    if (eq == std::string_view::npos) return std::nullopt;
    int item = 0, answer = 0;
    const auto a = std::from_chars(pair.data(), pair.data() + eq, item);
    const auto b = std::from_chars(pair.data() + eq + 1, pair.data() + pair.size(), answer);
    if (a.ec != std::errc() || a.ptr != pair.data() + eq || b.ec != std::errc() ||
        b.ptr != pair.data() + pair.size() || eq == 0 || eq + 1 == pair.size() || item < 1 ||
        answer < 0 || !answers.emplace(item, answer).second) {
      return std::nullopt;
    }
    if (end == text.size()) return answers;
    text.remove_prefix(end + 1);
  }
}

}  // namespace stream
