// `gapmap map`: the dependency map (provider -> model -> function -> call site) without the audit
// tables: as text, Graphviz DOT, Mermaid or JSON.
#include <fmt/format.h>
#include <unistd.h>

#include <iostream>
#include <memory>

#include "cli/command.h"
#include "core/atomic_file.h"
#include "pipeline/scan.h"
#include "report/graph_report.h"
#include "report/json_report.h"
#include "rules/rule_files.h"

namespace gapmap::cli {
namespace {

struct MapArgs {
  std::vector<std::string> paths;
  std::string format = "text";
  std::string output;
  std::string rules_dir;
  std::vector<std::string> include, exclude;
  bool no_ignore = false;
  uint64_t max_file_size = 2 * 1024 * 1024;
  unsigned jobs = 0;
  bool quiet = false;
};

int run_map(const MapArgs& a) {
  rules::RuleFiles rules = rules::RuleFiles::embedded();
  pipeline::ScanOptions opts;
  opts.discover.include = a.include;
  opts.discover.exclude = a.exclude;
  opts.discover.use_ignore_files = !a.no_ignore;
  opts.discover.max_file_size = a.max_file_size;
  opts.jobs = a.jobs;
  if (!a.quiet && isatty(STDERR_FILENO)) {
    opts.progress = [](size_t done, size_t total) {
      if (total >= 200 && (done % 50 == 0 || done == total))
        std::cerr << fmt::format("\rgapmap: {}/{} files", done, total) << (done == total ? "\n" : "") << std::flush;
    };
  }
  pipeline::ScanOutput result;
  try {
    if (!a.rules_dir.empty()) rules.overlay(a.rules_dir);
    result = pipeline::scan(a.paths, opts, rules);
  } catch (const discover::DiscoverError& e) {
    std::cerr << "gapmap: " << e.what() << "\n";
    return kExitUsage;
  } catch (const rules::RuleError& e) {
    std::cerr << "gapmap: " << e.what() << "\n";
    return kExitUsage;
  }

  std::string text;
  if (a.format == "dot") {
    text = report::render_dot(result.report);
  } else if (a.format == "mermaid") {
    text = report::render_mermaid(result.report);
  } else if (a.format == "json") {
    text = report::to_json(result.report)["dependency_map"].dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
  } else {
    text = report::render_map_text(result.report);
  }
  if (a.output.empty() || a.output == "-") {
    std::cout << text;
  } else if (auto err = write_file_atomic(a.output, text); !err.empty()) {
    std::cerr << "gapmap: " << err << "\n";
    return kExitUsage;
  }
  return kExitOk;
}

}  // namespace

Command add_map_command(CLI::App& root) {
  auto args = std::make_shared<MapArgs>();
  CLI::App* app = root.add_subcommand("map", "Show which providers, models and functions every LLM call depends on");
  app->add_option("paths", args->paths, "Files or directories to scan (default: .)");
  app->add_option("--format", args->format, "text, dot (Graphviz), mermaid or json")
      ->check(CLI::IsMember({"text", "dot", "mermaid", "json"}))
      ->capture_default_str();
  app->add_option("--output,-o", args->output, "Write to FILE instead of stdout (atomically)");
  app->add_option("--rules", args->rules_dir, "Add or override rule packs from DIR (same layout as rules/)");
  app->add_option("--include", args->include, "Only scan paths matching GLOB (repeatable)");
  app->add_option("--exclude", args->exclude, "Skip paths matching GLOB (repeatable)");
  app->add_flag("--no-ignore", args->no_ignore, "Do not honour .gitignore/.gapmapignore or the default skips");
  app->add_option("--max-file-size", args->max_file_size, "Skip files larger than BYTES")->capture_default_str();
  app->add_option("--jobs,-j", args->jobs, "Worker threads (default: number of cores)");
  app->add_flag("--quiet,-q", args->quiet, "No progress output");
  app->footer("Render the picture with `gapmap map --format dot | dot -Tsvg > map.svg`, or paste --format mermaid into "
              "a ```mermaid block on GitHub.");
  return {app, [args] { return run_map(*args); }};
}

}  // namespace gapmap::cli
