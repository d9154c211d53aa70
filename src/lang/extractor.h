#pragma once
// Phase 1 of SPEC §1: parse one file and turn it into a FileSummary. One Extractor per worker
// thread (parsers and query cursors are not thread-safe); the registry is shared.
#include <map>
#include <string>
#include <string_view>

#include "core/summary.h"
#include "lang/registry.h"

namespace gapmap::lang {

class Extractor {
 public:
  explicit Extractor(const LanguageRegistry& registry);

  // `language` is a registry name ("python", "tsx") or "notebook". The syntax tree is dropped
  // before this returns. Parse errors are kept in summary.problems; the partial tree is still read.
  FileSummary summarize(std::string_view language, std::string path, std::string_view text);

 private:
  FileSummary summarize_source(const CompiledLanguage& lang, std::string path, std::string_view text);
  FileSummary summarize_notebook(std::string path, std::string_view text);

  const LanguageRegistry& registry_;
  std::map<std::string, ParserHandle, std::less<>> parsers_;
  QueryCursorHandle cursor_;
};

}  // namespace gapmap::lang
