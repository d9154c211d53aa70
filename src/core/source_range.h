#pragma once
#include <cstdint>
#include <string>
#include <string_view>

namespace gapmap {

// 1-based lines and columns; columns count Unicode code points, end_column is exclusive
// (as SARIF regions are). Byte offsets are kept for containment tests within one file.
struct SourceRange {
  uint32_t line = 0;
  uint32_t column = 0;
  uint32_t end_line = 0;
  uint32_t end_column = 0;
  uint32_t start_byte = 0;
  uint32_t end_byte = 0;

  bool contains(const SourceRange& other) const {
    return start_byte <= other.start_byte && other.end_byte <= end_byte;
  }
  bool operator==(const SourceRange&) const = default;
};

}  // namespace gapmap
