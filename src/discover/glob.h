#pragma once
#include <string_view>

namespace gapmap::discover {

// Glob over '/'-separated relative paths: `*` and `?` stay within a segment, `**` spans
// segments, `[abc]`/`[!a-z]` classes. The same dialect as .gitignore patterns.
bool glob_match(std::string_view pattern, std::string_view path);

}  // namespace gapmap::discover
