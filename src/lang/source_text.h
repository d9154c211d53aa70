#pragma once
// A file's text plus the position arithmetic adapters need: node text and code-point columns.
#include <tree_sitter/api.h>

#include <string>
#include <string_view>

#include "core/source_range.h"

namespace gapmap::lang {

class SourceText {
 public:
  explicit SourceText(std::string_view text) : text_(text) {}

  std::string_view text() const { return text_; }
  std::string_view text_of(TSNode node) const {
    uint32_t b = ts_node_start_byte(node), e = ts_node_end_byte(node);
    if (b > text_.size() || e > text_.size() || e < b) return {};
    return text_.substr(b, e - b);
  }
  SourceRange range_of(TSNode node) const {
    TSPoint s = ts_node_start_point(node), e = ts_node_end_point(node);
    uint32_t sb = ts_node_start_byte(node), eb = ts_node_end_byte(node);
    return SourceRange{s.row + 1, column_of(sb, s.column), e.row + 1, column_of(eb, e.column), sb, eb};
  }

 private:
  // 1-based code-point column of a byte offset whose byte column in its line is `byte_col`.
  // Remembers the last answer so a left-to-right sweep over a long line stays linear.
  uint32_t column_of(uint32_t byte, uint32_t byte_col) const {
    uint32_t line_start = byte - byte_col;
    uint32_t from = line_start, count = 0;
    if (cache_line_start_ == line_start && cache_byte_ <= byte) {
      from = cache_byte_;
      count = cache_count_;
    }
    for (uint32_t i = from; i < byte && i < text_.size(); ++i)
      if ((static_cast<unsigned char>(text_[i]) & 0xC0) != 0x80) ++count;
    cache_line_start_ = line_start;
    cache_byte_ = byte;
    cache_count_ = count;
    return count + 1;
  }

  std::string_view text_;
  mutable uint32_t cache_line_start_ = UINT32_MAX, cache_byte_ = 0, cache_count_ = 0;
};

}  // namespace gapmap::lang
