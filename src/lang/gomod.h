#pragma once
// go.mod is read as a summary of its own: the module line says which import
// paths name this project's packages, and the require lines which SDKs the
// project depends on.
#include <string>
#include <string_view>

#include "core/summary.h"

namespace gapmap::lang {

// The module path is an Import with symbol "module"; each required module is an
// Import with symbol "require". A file without a module line gets a problem,
// not an exception.
FileSummary summarize_gomod(std::string path, std::string_view text);

}  // namespace gapmap::lang
