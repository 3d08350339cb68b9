#include "interop/strict_json.h"

#include <set>
#include <vector>

namespace stream::interop {

Result<nlohmann::json> ParseStrictJson(std::string_view text, int max_depth,
                                       const std::string& where) {
  using Event = nlohmann::json::parse_event_t;
  std::vector<std::set<std::string>> keys;  // the keys of each open object
  std::string refusal;
  // Returning false discards the value; the refusal is reported after the parse.
  auto check = [&](int depth, Event event, nlohmann::json& parsed) {
    if (event == Event::object_start || event == Event::array_start) {
      if (depth + 1 > max_depth)
        refusal = "JSON nested deeper than " + std::to_string(max_depth) + " levels";
      if (event == Event::object_start) keys.emplace_back();
    } else if (event == Event::object_end && !keys.empty()) {
      keys.pop_back();
    } else if (event == Event::key && !keys.empty() &&
               !keys.back().insert(parsed.get<std::string>()).second) {
      refusal = "key '" + parsed.get<std::string>() + "' is given twice in one JSON object";
    }
    return refusal.empty();
  };
  nlohmann::json parsed;
  try {
    parsed = nlohmann::json::parse(text, check);
  } catch (const nlohmann::json::out_of_range& e) {
    std::string what = e.what();  // "[json.exception.out_of_range.406] number overflow …"
    if (const size_t at = what.find("] "); at != std::string::npos) what = what.substr(at + 2);
    return Fail(ErrorCode::kInvalidArgument, "a number is out of range (" + what + ")", where);
  } catch (const nlohmann::json::exception& e) {
    if (!refusal.empty()) return Fail(ErrorCode::kInvalidArgument, refusal, where);
    const auto* p = dynamic_cast<const nlohmann::json::parse_error*>(&e);
    return Fail(ErrorCode::kInvalidArgument,
                "not valid JSON" + (p ? " (byte " + std::to_string(p->byte) + ")" : std::string()),
                where);
  }
  if (!refusal.empty()) return Fail(ErrorCode::kInvalidArgument, refusal, where);
  return parsed;
}

}  // namespace stream::interop
