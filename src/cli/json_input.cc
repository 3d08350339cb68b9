#include "cli/json_input.h"

#include "cli/cli_context.h"

namespace stream::cli {

Result<nlohmann::json> ReadJsonArgument(const std::string& text) {
  std::string body = text;
  if (text.empty() || text.front() != '{') {
    STREAM_ASSIGN_OR_RETURN(body, ReadInput(text));
  }
  int depth = 0;
  bool too_deep = false;
  auto parsed = nlohmann::json::parse(
      body,
      [&](int d, nlohmann::json::parse_event_t, nlohmann::json&) {
        depth = std::max(depth, d);
        too_deep = too_deep || d > 32;
        return !too_deep;
      },
      false);
  if (too_deep) return Fail(ErrorCode::kInvalidArgument, "JSON nested deeper than 32 levels");
  if (parsed.is_discarded())
    return Fail(ErrorCode::kInvalidArgument, "not valid JSON",
                text.front() == '{' ? "argument" : text);
  return parsed;
}

}  // namespace stream::cli
