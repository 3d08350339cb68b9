// Reading a JSON document given on the command line, in a file, or on standard input.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "core/result.h"

namespace stream::cli {

// `text` is inline JSON when it starts with '{', otherwise a file path ("-" = stdin).
// Nesting deeper than 32 levels is refused.
Result<nlohmann::json> ReadJsonArgument(const std::string& text);

}  // namespace stream::cli
