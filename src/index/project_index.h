#pragma once
// Phase 2 of SPEC §1: the project index over all file summaries — which file a module import
// names, which functions and module-level names a file defines, who calls whom.
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/summary.h"

namespace gapmap::index {

struct FunctionRef {
  uint32_t file = UINT32_MAX;
  uint32_t function = kModuleScope;
  bool valid() const { return file != UINT32_MAX; }
};

class ProjectIndex {
 public:
  explicit ProjectIndex(const std::vector<FileSummary>& files);

  const std::vector<FileSummary>& files() const { return files_; }
  const FileSummary& file(uint32_t i) const { return files_[i]; }

  // The project file an import names ("./llm", ".utils", "app.llm", "@/lib/ai"), if any.
  std::optional<uint32_t> module_file(uint32_t from_file, std::string_view module) const;

  // A module-level function of `file` named `name`.
  std::optional<uint32_t> top_function(uint32_t file, std::string_view name) const;

  // Functions anywhere in the project with this (unqualified or qualified) name.
  const std::vector<FunctionRef>& functions_named(std::string_view name) const;

 private:
  const std::vector<FileSummary>& files_;
  std::map<std::string, uint32_t, std::less<>> by_path_;  // relative path -> index
  std::map<std::string, std::vector<FunctionRef>, std::less<>> functions_by_name_;
};

}  // namespace gapmap::index
