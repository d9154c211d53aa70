#pragma once
// Options every command that reads a source tree shares (scan, map): what to read and how.
#include <CLI/CLI.hpp>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "pipeline/scan.h"

namespace gapmap::cli {

struct SourceArgs {
  std::vector<std::string> paths;
  std::string rules_dir;
  std::vector<std::string> include, exclude;
  bool no_ignore = false;
  int64_t max_file_size = 2 * 1024 * 1024;
  unsigned jobs = 0;
  bool quiet = false;
  bool timings = false;  // --timings: where the time went, on stderr
};

void add_source_options(CLI::App* app, SourceArgs& args);
// Discovery options, worker count and a progress line on stderr when it is a terminal.
pipeline::ScanOptions scan_options_for(const SourceArgs& args);
// Writes to stdout for "" or "-", else atomically to the file; false (message printed) on failure.
bool write_output(const std::string& path, std::string_view text);
// With --timings: one line per pipeline phase on stderr.
void print_timings(const SourceArgs& args, const pipeline::ScanOutput& out);

}  // namespace gapmap::cli
