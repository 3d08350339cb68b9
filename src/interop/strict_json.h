// Reading a JSON document from outside (an API body, a command-line argument, a file)
// strictly: what a lenient parser lets through to do harm later is refused with a message
// naming where — nesting deeper than a limit (refused before it is built), a key given
// twice in one object (which of the two would count is a guess), numbers beyond a
// double's range (`1e400`), and malformed text (with its byte offset).
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "core/result.h"

namespace stream::interop {

// Errors are kInvalidArgument with `where` as their field.
Result<nlohmann::json> ParseStrictJson(std::string_view text, int max_depth,
                                       const std::string& where);

}  // namespace stream::interop
