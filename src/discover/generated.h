#pragma once
// Generated code stays out of a scan by default: minified or bundled JavaScript (a web app that
// commits `out/_next/static/chunks/*.js` would otherwise be parsed and resolved in full) and files
// that declare themselves generated. It holds no model call a person wrote.
#include <string_view>

namespace gapmap::discover {

// Judged from the path and the first 64 KB of the text (and the last line, for a source-map
// trailer). `--no-ignore` scans such files anyway.
bool looks_generated(std::string_view relative_path, std::string_view text);

}  // namespace gapmap::discover
