#pragma once
#include <string>
#include <string_view>

namespace gapmap {

// Writes `content` to `path` through a temporary file in the same directory and a rename, so a
// reader never sees half a report. Returns an error message, or empty on success.
std::string write_file_atomic(const std::string& path, std::string_view content);

}  // namespace gapmap
