// `gapmap map`: the dependency map (provider -> model -> function -> call site) without the audit
// tables: as text, Graphviz DOT, Mermaid or JSON.
#include <fmt/format.h>
#include <unistd.h>

#include <iostream>
#include <memory>

#include "cli/command.h"
#include "cli/source_options.h"
#include "core/atomic_file.h"
#include "pipeline/scan.h"
#include "report/graph_report.h"
#include "report/json_report.h"
#include "rules/rule_files.h"

namespace gapmap::cli {
namespace {

struct MapArgs {
  SourceArgs source;
  std::string format = "text";
  std::string output;
};

int run_map(const MapArgs& a) {
  rules::RuleFiles rules = rules::RuleFiles::embedded();
  pipeline::ScanOptions opts = scan_options_for(a.source);
  pipeline::ScanOutput result;
  try {
    if (!a.source.rules_dir.empty()) rules.overlay(a.source.rules_dir);
    result = pipeline::scan(a.source.paths, opts, rules);
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
  if (!write_output(a.output, text)) return kExitUsage;
  return kExitOk;
}

}  // namespace

Command add_map_command(CLI::App& root) {
  auto args = std::make_shared<MapArgs>();
  CLI::App* app = root.add_subcommand("map", "Show which providers, models and functions every LLM call depends on");
  app->add_option("--format", args->format, "text, dot (Graphviz), mermaid or json")
      ->check(CLI::IsMember({"text", "dot", "mermaid", "json"}))
      ->capture_default_str();
  app->add_option("--output,-o", args->output, "Write to FILE instead of stdout (atomically)");
  add_source_options(app, args->source);
  app->footer("Render the picture with `gapmap map --format dot | dot -Tsvg > map.svg`, or paste --format mermaid into "
              "a ```mermaid block on GitHub.");
  return {app, [args] { return run_map(*args); }};
}

}  // namespace gapmap::cli
