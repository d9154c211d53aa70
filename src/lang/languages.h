#pragma once
// The grammars compiled into gapmap and how files map onto them.
#include <tree_sitter/api.h>

#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace gapmap::lang {

struct GrammarInfo {
  std::string_view name;        // "python", "typescript", "tsx", ...
  const TSLanguage* (*language)();
  std::string_view query_file;  // rules/queries/<name>.scm; empty = no extraction yet
};

std::span<const GrammarInfo> grammars();
const GrammarInfo* grammar_by_name(std::string_view name);

// Language name for a path by its extension ("python" for .py); notebooks are "notebook".
std::optional<std::string> language_for_path(std::string_view path);

}  // namespace gapmap::lang
