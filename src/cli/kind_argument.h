// Resolving a record-kind argument ("patient" or any kind of core/schema.h).
#pragma once

#include <string>

#include "core/result.h"
#include "core/schema.h"

namespace stream::cli {

Result<const KindSpec*> KindArgument(const std::string& name, bool allow_patient);

}  // namespace stream::cli
