#include "lang/gomod.h"

#include <algorithm>

namespace gapmap::lang {
namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

std::string_view first_word(std::string_view s) {
  s = trim(s);
  auto end = s.find_first_of(" \t");
  s = s.substr(0, end);
  if (s.size() >= 2 && s.front() == '"' && s.back() == '"') s = s.substr(1, s.size() - 2);
  return s;
}

}  // namespace

FileSummary summarize_gomod(std::string path, std::string_view text) {
  FileSummary out;
  out.path = std::move(path);
  out.language = "gomod";
  bool in_require = false;
  uint32_t line_no = 0;
  size_t pos = 0;
  while (pos <= text.size()) {
    size_t eol = text.find('\n', pos);
    std::string_view line = text.substr(pos, eol == std::string_view::npos ? std::string_view::npos : eol - pos);
    pos = eol == std::string_view::npos ? text.size() + 1 : eol + 1;
    ++line_no;
    if (auto comment = line.find("//"); comment != std::string_view::npos) line = line.substr(0, comment);
    line = trim(line);
    if (line.empty()) continue;
    SourceRange range;
    range.line = line_no;
    range.column = 1;
    range.end_line = line_no;
    if (in_require) {
      if (line == ")")
        in_require = false;
      else if (auto m = first_word(line); !m.empty())
        out.imports.push_back({"", std::string(m), "require", range});
      continue;
    }
    if (line.starts_with("module ") || line.starts_with("module\t")) {
      out.imports.push_back({"", std::string(first_word(line.substr(6))), "module", range});
    } else if (line.starts_with("require")) {
      std::string_view rest = trim(line.substr(7));
      if (rest == "(")
        in_require = true;
      else if (auto m = first_word(rest); !m.empty())
        out.imports.push_back({"", std::string(m), "require", range});
    }
  }
  if (std::none_of(out.imports.begin(), out.imports.end(), [](const Import& i) { return i.symbol == "module"; }))
    out.problems.push_back({1, 1,
                            "go.mod has no module line: imports of this "
                            "project's packages cannot be resolved"});
  return out;
}

}  // namespace gapmap::lang
