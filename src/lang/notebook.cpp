#include "lang/notebook.h"

#include <nlohmann/json.hpp>

#include "rules/rule_files.h"

namespace gapmap::lang {
namespace {

// Lines (1-based) where each cell's "source" value starts in the stored file. nlohmann keeps no
// positions, so this small scanner walks the raw JSON tracking depth, keys and string state.
std::vector<uint32_t> source_lines(std::string_view text) {
  std::vector<uint32_t> out;
  uint32_t line = 1;
  int depth = 0;
  bool in_cells = false;      // inside the top-level "cells" array
  int cells_depth = -1;
  std::string last_key;
  bool want_source = false;   // saw "source": in a cell; record the next string's line
  for (size_t i = 0; i < text.size(); ++i) {
    char ch = text[i];
    if (ch == '\n') {
      ++line;
      continue;
    }
    if (ch == '"') {
      uint32_t start_line = line;
      std::string s;
      ++i;
      for (; i < text.size() && text[i] != '"'; ++i) {
        if (text[i] == '\\' && i + 1 < text.size()) {
          ++i;
          continue;
        }
        if (text[i] == '\n') ++line;
        if (s.size() < 16) s.push_back(text[i]);
      }
      size_t j = i + 1;
      while (j < text.size() && (text[j] == ' ' || text[j] == '\t' || text[j] == '\r' || text[j] == '\n')) ++j;
      bool is_key = j < text.size() && text[j] == ':';
      if (is_key) {
        last_key = s;
        if (depth == 1 && s == "cells") in_cells = true;
        if (in_cells && depth == cells_depth + 1 && s == "source") want_source = true;
      } else if (want_source) {
        out.back() = start_line;
        want_source = false;
      }
      continue;
    }
    if (ch == '{' || ch == '[') {
      ++depth;
      if (in_cells && cells_depth < 0 && ch == '[') cells_depth = depth;
      else if (in_cells && depth == cells_depth + 1 && ch == '{') out.push_back(line);
      continue;
    }
    if (ch == '}' || ch == ']') {
      if (in_cells && depth == cells_depth && ch == ']') in_cells = false;
      if (want_source && ch == ']') want_source = false;  // empty source list
      --depth;
    }
  }
  return out;
}

std::string joined_source(const nlohmann::json& src) {
  if (src.is_string()) return src.get<std::string>();
  std::string s;
  if (src.is_array())
    for (const auto& part : src)
      if (part.is_string()) s += part.get<std::string>();
  return s;
}

}  // namespace

NotebookSource read_notebook(std::string_view text) {
  NotebookSource nb;
  nlohmann::json doc;
  try {
    doc = nlohmann::json::parse(text);
  } catch (const nlohmann::json::parse_error& e) {
    std::string t(text);
    nb.error_line = static_cast<uint32_t>(rules::line_column_of(t, e.byte > 0 ? e.byte - 1 : 0).first);
    nb.error = "not a readable notebook (invalid JSON)";
    return nb;
  }
  if (!doc.is_object() || !doc.contains("cells") || !doc["cells"].is_array()) {
    nb.error = "not a notebook: no \"cells\" array";
    return nb;
  }
  if (auto md = doc.find("metadata"); md != doc.end() && md->is_object()) {
    std::string lang;
    if (auto li = md->find("language_info"); li != md->end() && li->is_object() && li->contains("name") &&
                                             (*li)["name"].is_string())
      lang = (*li)["name"].get<std::string>();
    else if (auto ks = md->find("kernelspec"); ks != md->end() && ks->is_object() && ks->contains("language") &&
                                               (*ks)["language"].is_string())
      lang = (*ks)["language"].get<std::string>();
    if (!lang.empty()) nb.language = lang;
  }
  auto stored = source_lines(text);
  uint32_t next_line = 1;
  const auto& cells = doc["cells"];
  for (uint32_t i = 0; i < cells.size(); ++i) {
    const auto& cell = cells[i];
    if (!cell.is_object() || cell.value("cell_type", "") != "code" || !cell.contains("source")) continue;
    std::string code = joined_source(cell["source"]);
    // IPython magics and shell escapes are not Python; keep the line, blank the statement.
    std::string cleaned;
    uint32_t count = 0;
    size_t pos = 0;
    while (pos <= code.size()) {
      size_t eol = code.find('\n', pos);
      std::string_view l(code.data() + pos, (eol == std::string::npos ? code.size() : eol) - pos);
      size_t k = l.find_first_not_of(" \t");
      if (k != std::string_view::npos && (l[k] == '%' || l[k] == '!')) cleaned += "#";
      cleaned += l;
      cleaned += '\n';
      ++count;
      if (eol == std::string::npos) break;
      pos = eol + 1;
    }
    nb.cells.push_back({next_line, count, i, i < stored.size() ? stored[i] : 1});
    nb.code += cleaned;
    next_line += count;
  }
  return nb;
}

bool map_notebook_line(const std::vector<CellSpan>& cells, uint32_t line, uint32_t& cell, uint32_t& cell_line,
                       uint32_t& stored_line) {
  for (const auto& c : cells) {
    if (line >= c.first_line && line < c.first_line + c.line_count) {
      cell = c.cell;
      cell_line = line - c.first_line + 1;
      stored_line = c.stored_line + (cell_line - 1);
      return true;
    }
  }
  return false;
}

}  // namespace gapmap::lang
