#pragma once
// A file's text plus the position arithmetic adapters need: node text and code-point columns.
#include <tree_sitter/api.h>

#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

#include "core/source_range.h"

namespace gapmap::lang {

class SourceText {
 public:
  explicit SourceText(std::string_view text) : text_(text) {}

  std::string_view text() const { return text_; }
  std::string_view text_of(TSNode node) const {
    if (ts_node_is_null(node)) return {};
    uint32_t b = ts_node_start_byte(node), e = ts_node_end_byte(node);
    if (b > text_.size() || e > text_.size() || e < b) return {};
    return text_.substr(b, e - b);
  }
  SourceRange range_of(TSNode node) const {
    if (ts_node_is_null(node)) return {};
    TSPoint s = ts_node_start_point(node), e = ts_node_end_point(node);
    uint32_t sb = ts_node_start_byte(node), eb = ts_node_end_byte(node);
    return SourceRange{s.row + 1, column_of(sb, s.column), e.row + 1, column_of(eb, e.column), sb, eb};
  }

 private:
  // 1-based code-point column of a byte offset whose byte column in its line is `byte_col`.
  uint32_t column_of(uint32_t byte, uint32_t byte_col) const {
    if (ascii()) return byte_col + 1;  // most source files: bytes are code points
    uint32_t line_start = byte - byte_col;
    return code_points_before(byte) - code_points_before(line_start) + 1;
  }

  // Code points in text[0, byte): a checkpoint every kStride bytes, built on first use, keeps a
  // lookup bounded even on a 10 MB single-line file (positions arrive in any order).
  static constexpr uint32_t kStride = 256;
  uint32_t code_points_before(uint32_t byte) const {
    if (byte > text_.size()) byte = static_cast<uint32_t>(text_.size());
    if (checkpoints_.empty()) {
      checkpoints_.reserve(text_.size() / kStride + 2);
      uint32_t count = 0;
      for (size_t i = 0; i < text_.size(); ++i) {
        if (i % kStride == 0) checkpoints_.push_back(count);
        if ((static_cast<unsigned char>(text_[i]) & 0xC0) != 0x80) ++count;
      }
      checkpoints_.push_back(count);
    }
    uint32_t k = byte / kStride;
    uint32_t count = checkpoints_[k];
    for (uint32_t i = k * kStride; i < byte; ++i)
      if ((static_cast<unsigned char>(text_[i]) & 0xC0) != 0x80) ++count;
    return count;
  }

  bool ascii() const {
    if (ascii_ < 0)
      ascii_ = std::none_of(text_.begin(), text_.end(), [](char c) { return static_cast<unsigned char>(c) >= 0x80; });
    return ascii_ > 0;
  }

  std::string_view text_;
  mutable int ascii_ = -1;  // unknown until first asked
  mutable std::vector<uint32_t> checkpoints_;
};

}  // namespace gapmap::lang
