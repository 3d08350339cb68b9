#include "cli/json_input.h"

#include "cli/cli_context.h"
#include "interop/strict_json.h"

namespace stream::cli {

Result<nlohmann::json> ReadJsonArgument(const std::string& text) {
  std::string body = text;
  if (text.empty() || text.front() != '{') {
    STREAM_ASSIGN_OR_RETURN(body, ReadInput(text));
  }
  return interop::ParseStrictJson(body, 32, text.front() == '{' ? "argument" : text);
}

}  // namespace stream::cli
