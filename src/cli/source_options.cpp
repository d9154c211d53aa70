#include "cli/source_options.h"

#include <fmt/format.h>
#include <unistd.h>

#include <iostream>

#include "core/atomic_file.h"

namespace gapmap::cli {

void add_source_options(CLI::App* app, SourceArgs& a) {
  app->add_option("paths", a.paths, "Files or directories to scan (default: .)");
  app->add_option("--rules", a.rules_dir, "Add or override rule packs from DIR (same layout as rules/)");
  app->add_option("--include", a.include, "Only scan paths matching GLOB (repeatable)");
  app->add_option("--exclude", a.exclude, "Skip paths matching GLOB (repeatable)");
  app->add_flag("--no-ignore", a.no_ignore, "Do not honour .gitignore/.gapmapignore or the default skips (node_modules, .venv, ...)");
  app->add_option("--max-file-size", a.max_file_size, "Skip files larger than BYTES (listed in errors)")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  app->add_option("--jobs,-j", a.jobs, "Worker threads (default: number of cores)");
  app->add_flag("--quiet,-q", a.quiet, "No progress output");
  app->add_flag("--timings", a.timings, "Print how long each phase took on stderr");
}

void print_timings(const SourceArgs& a, const pipeline::ScanOutput& out) {
  if (!a.timings) return;
  for (const auto& t : out.timings) std::cerr << fmt::format("gapmap: {:<12} {:8.3f} s  peak {:6.0f} MB\n", t.phase, t.seconds, t.peak_mb);
}

pipeline::ScanOptions scan_options_for(const SourceArgs& a) {
  pipeline::ScanOptions opts;
  opts.discover.include = a.include;
  opts.discover.exclude = a.exclude;
  opts.discover.use_ignore_files = !a.no_ignore;
  opts.discover.max_file_size = static_cast<uint64_t>(a.max_file_size);
  opts.jobs = a.jobs;
  if (!a.quiet && isatty(STDERR_FILENO)) {
    opts.progress = [](size_t done, size_t total) {
      if (total >= 200 && (done % 50 == 0 || done == total))
        std::cerr << fmt::format("\rgapmap: {}/{} files", done, total) << (done == total ? "\n" : "") << std::flush;
    };
  }
  return opts;
}

bool write_output(const std::string& path, std::string_view text) {
  if (path.empty() || path == "-") {
    std::cout << text;
    return true;
  }
  if (auto err = write_file_atomic(path, text); !err.empty()) {
    std::cerr << "gapmap: " << err << "\n";
    return false;
  }
  return true;
}

}  // namespace gapmap::cli
