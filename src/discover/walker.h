#pragma once
// Finds the files a scan reads (SPEC §5, §8): ignore files, default skips, size limit, and the
// safety rules for untrusted trees (no symlinks out of the root, no FIFOs or devices, no loops).
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "core/report_model.h"

namespace gapmap::discover {

struct DiscoverOptions {
  std::vector<std::string> include;  // globs over root-relative paths; empty = everything
  std::vector<std::string> exclude;
  bool use_ignore_files = true;  // .gitignore, .gapmapignore and the default skips
  uint64_t max_file_size = 2 * 1024 * 1024;
};

struct SourceFile {
  std::filesystem::path absolute;
  std::string relative;  // to the scan root, '/'-separated
  std::string language;  // "python", "typescript", "notebook", ...
};

struct Discovery {
  std::filesystem::path root;     // paths in reports are relative to this
  std::vector<SourceFile> files;  // sorted by relative path
  std::vector<ScanError> errors;  // files that could not be taken (too large, unreadable, ...)
  uint64_t generated_skipped = 0;  // minified by name (more are found by content when read)
};

class DiscoverError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Throws DiscoverError when a path argument does not exist (exit 2 territory).
Discovery discover(const std::vector<std::string>& paths, const DiscoverOptions& options);

// Directory names skipped by default (vendored, generated, environments).
bool is_default_skipped_dir(std::string_view name);

}  // namespace gapmap::discover
