#include "core/value.h"

#include <array>
#include <charconv>

namespace stream {

std::string ToText(const Value& v) {
  struct Visitor {
    std::string operator()(std::monostate) const { return {}; }
    std::string operator()(int64_t i) const { return std::to_string(i); }
    std::string operator()(double d) const {
      std::array<char, 32> buf{};
      auto [end, ec] = std::to_chars(buf.data(), buf.data() + buf.size(), d);
      return std::string(buf.data(), end);
    }
    std::string operator()(const std::string& s) const { return s; }
    std::string operator()(Date d) const { return d.ToString(); }
    std::string operator()(bool b) const { return b ? "true" : "false"; }
    std::string operator()(const CodeSet& set) const {
      std::string out;
      for (const auto& code : set) {
        if (!out.empty()) out += ';';
        out += code;
      }
      return out;
    }
  };
  return std::visit(Visitor{}, v);
}

}  // namespace stream
