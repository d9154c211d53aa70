#include "lang/languages.h"

#include <algorithm>
#include <array>

extern "C" {
const TSLanguage* tree_sitter_python();
const TSLanguage* tree_sitter_javascript();
const TSLanguage* tree_sitter_typescript();
const TSLanguage* tree_sitter_tsx();
const TSLanguage* tree_sitter_go();
const TSLanguage* tree_sitter_java();
const TSLanguage* tree_sitter_c_sharp();
const TSLanguage* tree_sitter_ruby();
const TSLanguage* tree_sitter_rust();
const TSLanguage* tree_sitter_php();
const TSLanguage* tree_sitter_kotlin();
const TSLanguage* tree_sitter_yaml();
const TSLanguage* tree_sitter_json();
}

namespace gapmap::lang {
namespace {

// Languages without a query file are parsed by nothing yet: discovery skips them until their
// adapter lands, so a scan never reports a language it cannot judge.
constexpr std::array kGrammars{
    GrammarInfo{"python", tree_sitter_python, "queries/python.scm"},
    GrammarInfo{"javascript", tree_sitter_javascript, "queries/javascript.scm"},
    GrammarInfo{"typescript", tree_sitter_typescript, "queries/typescript.scm"},
    GrammarInfo{"tsx", tree_sitter_tsx, "queries/tsx.scm"},
    GrammarInfo{"go", tree_sitter_go, "queries/go.scm"},
    GrammarInfo{"java", tree_sitter_java, "queries/java.scm"},
    GrammarInfo{"csharp", tree_sitter_c_sharp, ""},
    GrammarInfo{"ruby", tree_sitter_ruby, ""},
    GrammarInfo{"rust", tree_sitter_rust, "queries/rust.scm"},
    GrammarInfo{"php", tree_sitter_php, ""},
    GrammarInfo{"kotlin", tree_sitter_kotlin, ""},
    GrammarInfo{"yaml", tree_sitter_yaml, ""},
    GrammarInfo{"json", tree_sitter_json, ""},
};

struct ExtensionMapping {
  std::string_view extension;
  std::string_view language;
};

constexpr std::array kExtensions{
    ExtensionMapping{".py", "python"},     ExtensionMapping{".pyi", "python"},
    ExtensionMapping{".ipynb", "notebook"}, ExtensionMapping{".js", "javascript"},
    ExtensionMapping{".mjs", "javascript"}, ExtensionMapping{".cjs", "javascript"},
    ExtensionMapping{".jsx", "javascript"}, ExtensionMapping{".ts", "typescript"},
    ExtensionMapping{".mts", "typescript"}, ExtensionMapping{".cts", "typescript"},
    ExtensionMapping{".tsx", "tsx"},        ExtensionMapping{".go", "go"},
    ExtensionMapping{".rs", "rust"},        ExtensionMapping{".java", "java"},
};

}  // namespace

std::span<const GrammarInfo> grammars() { return kGrammars; }

const GrammarInfo* grammar_by_name(std::string_view name) {
  auto it = std::find_if(kGrammars.begin(), kGrammars.end(),
                         [&](const GrammarInfo& g) { return g.name == name; });
  return it == kGrammars.end() ? nullptr : &*it;
}

std::optional<std::string> language_for_path(std::string_view path) {
  if (path.ends_with(".d.ts")) return std::nullopt;  // declarations make no calls
  if (path == "go.mod" || path.ends_with("/go.mod")) return std::string("gomod");
  auto dot = path.rfind('.');
  auto slash = path.rfind('/');
  if (dot == std::string_view::npos || (slash != std::string_view::npos && dot < slash)) return std::nullopt;
  std::string ext(path.substr(dot));
  std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return std::tolower(c); });
  for (const auto& m : kExtensions)
    if (m.extension == ext) return std::string(m.language);
  return std::nullopt;
}

}  // namespace gapmap::lang
