#pragma once
// partialFingerprints.primaryLocationLineHash, computed the way GitHub's uploader does it
// (shared/sarif/FINGERPRINTS.md), so alerts keep their identity across runs and line moves.
#include <string>
#include <string_view>
#include <vector>

namespace gapmap::report {

// One entry per line of `text` (a file's raw bytes, decoded as UTF-8 with U+FFFD for invalid
// sequences, as Node does): element i is the hash of line i + 1, "hex:n". The line after a final
// newline counts, as it does for GitHub, so an empty text still has one line.
std::vector<std::string> line_hashes(std::string_view text);

}  // namespace gapmap::report
