// `gapmap scan`: the main job. Parses options, runs the library pipeline, renders and gates.
#include <fmt/format.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <iostream>
#include <memory>

#include "cli/command.h"
#include "cli/source_options.h"
#include "core/atomic_file.h"
#include "pipeline/scan.h"
#include "report/baseline.h"
#include "report/graph_report.h"
#include "report/json_report.h"
#include "report/markdown_report.h"
#include "report/sarif_report.h"
#include "report/table_report.h"
#include "score/gate.h"
#include "rules/rule_files.h"

namespace gapmap::cli {
namespace {

struct ScanArgs {
  SourceArgs source;
  std::string format = "table";
  std::string output;
  std::string json_out, sarif_out, markdown_out;
  std::string config, tier;
  std::string shard;
  std::string fail_on = "error";
  int min_score = 0;
  bool min_score_set = false;
  std::string baseline, write_baseline, sarif_category;
  bool no_cache = false;
  std::string color = "auto";
};

bool use_color(const std::string& mode, int fd) {
  if (mode == "always") return true;
  if (mode == "never") return false;
  if (const char* nc = std::getenv("NO_COLOR"); nc && *nc) return false;
  return isatty(fd) != 0;
}

int run_scan(const ScanArgs& a) {
  if (!a.shard.empty()) {
    std::cerr << "gapmap: --shard is not implemented in this version; scan the whole tree (shards and merge are planned)\n";
    return kExitUsage;
  }
  rules::RuleFiles rules = rules::RuleFiles::embedded();
  pipeline::ScanOptions opts = scan_options_for(a.source);
  opts.tier_override = a.tier;
  pipeline::ScanOutput result;
  try {
    opts.config = config::load_config(a.config.empty() ? std::nullopt : std::optional<std::string>(a.config),
                                      a.source.paths.empty() ? std::filesystem::path(".") : std::filesystem::path(a.source.paths.front()));
    for (const auto& g : opts.config.exclude) opts.discover.exclude.push_back(g);
    if (!a.source.rules_dir.empty()) rules.overlay(a.source.rules_dir);
    result = pipeline::scan(a.source.paths, opts, rules);
    print_timings(a.source, result);
  } catch (const discover::DiscoverError& e) {
    std::cerr << "gapmap: " << e.what() << "\n";
    return kExitUsage;
  } catch (const rules::RuleError& e) {
    std::cerr << "gapmap: " << e.what() << "\n";
    return kExitUsage;
  } catch (const config::ConfigError& e) {
    std::cerr << "gapmap: " << e.what() << "\n";
    return kExitUsage;
  }

  // Baseline: recorded findings leave the gate and the table, and are "unchanged" in SARIF.
  bool baseline_used = false;
  if (!a.baseline.empty()) {
    std::ifstream in(a.baseline, std::ios::binary);
    if (!in) {
      std::cerr << "gapmap: " << a.baseline << ": cannot read the baseline (write one with --write-baseline)\n";
      return kExitUsage;
    }
    std::ostringstream ss;
    ss << in.rdbuf();
    try {
      report::apply_baseline(result.report, report::parse_baseline(ss.str(), a.baseline));
    } catch (const std::runtime_error& e) {
      std::cerr << "gapmap: " << e.what() << "\n";
      return kExitUsage;
    }
    baseline_used = true;
  }

  const std::vector<rules::CheckDoc>& docs = result.docs;
  auto render = [&](const std::string& format) -> std::string {
    if (format == "json") return report::render_json(result.report);
    if (format == "sarif") {
      report::SarifOptions so;
      so.category = a.sarif_category.empty() ? "gapmap/" : a.sarif_category;
      so.source_root = result.root;
      so.checks = docs;
      so.baseline_used = baseline_used;
      return report::render_sarif(result.report, so);
    }
    if (format == "markdown") {
      report::MarkdownOptions mo;
      mo.checks = docs;
      return report::render_markdown(result.report, mo);
    }
    if (format == "dot") return report::render_dot(result.report);
    if (format == "mermaid") return report::render_mermaid(result.report);
    bool color = a.output.empty() && use_color(a.color, STDOUT_FILENO);
    return report::render_table(result.report, {color});
  };
  auto emit = [&](const std::string& format, const std::string& path) -> bool {
    std::string text;
    try {
      text = render(format);
    } catch (const report::SarifLimitError& e) {
      std::cerr << "gapmap: " << e.what() << "\n";
      return false;
    }
    return write_output(path, text);
  };
  if (!emit(a.format, a.output)) return kExitUsage;
  if (!a.json_out.empty() && !emit("json", a.json_out)) return kExitUsage;
  if (!a.sarif_out.empty() && !emit("sarif", a.sarif_out)) return kExitUsage;
  if (!a.markdown_out.empty() && !emit("markdown", a.markdown_out)) return kExitUsage;
  if (!a.write_baseline.empty()) {
    if (!write_output(a.write_baseline, report::render_baseline(result.report))) return kExitUsage;
  }
  auto gate = score::evaluate_gate(result.report, a.fail_on, a.min_score_set ? std::optional<int>(a.min_score) : std::nullopt);
  if (gate.failed) {
    if (!a.source.quiet) std::cerr << "gapmap: gate failed: " << gate.reason << "\n";
    return kExitGateFailed;
  }
  return kExitOk;
}

}  // namespace

Command add_scan_command(CLI::App& root) {
  auto args = std::make_shared<ScanArgs>();
  CLI::App* app = root.add_subcommand("scan", "Find LLM call sites under PATH... and audit each one");
  add_source_options(app, args->source);
  app->add_option("--format", args->format, "Output format for stdout or --output")
      ->check(CLI::IsMember({"table", "json", "sarif", "markdown", "dot", "mermaid"}))
      ->capture_default_str();
  app->add_option("--output,-o", args->output, "Write the --format output to FILE instead of stdout (atomically)");
  app->add_option("--json", args->json_out, "Also write the JSON report to FILE");
  app->add_option("--sarif", args->sarif_out, "Also write SARIF 2.1.0 to FILE");
  app->add_option("--markdown", args->markdown_out, "Also write a Markdown summary to FILE (pull-request comments, $GITHUB_STEP_SUMMARY)");
  app->add_option("--config", args->config, "Use this .gapmap.json instead of searching upward from PATH");
  app->add_option("--tier", args->tier, "Tier for every call site unless the config says otherwise")
      ->check(CLI::IsMember({"critical", "regulated", "standard", "internal", "batch", "prototype"}));
  app->add_option("--shard", args->shard, "Scan only shard K of N, e.g. 2/8 (not implemented yet: accepted and rejected with a message)");
  app->add_option("--fail-on", args->fail_on, "Exit 1 when a finding at or above this level exists")
      ->check(CLI::IsMember({"error", "warning", "note", "never"}))
      ->capture_default_str();
  app->add_option("--min-score", args->min_score, "Exit 1 when the project score is below N")
      ->check(CLI::Range(0, 100))
      ->each([args](const std::string&) { args->min_score_set = true; });
  app->add_option("--baseline", args->baseline, "Leave findings recorded in FILE out of the gate");
  app->add_option("--write-baseline", args->write_baseline, "Record the current findings in FILE");
  app->add_option("--sarif-category", args->sarif_category, "SARIF automationDetails.id (default gapmap/)");
  app->add_flag("--no-cache", args->no_cache, "Do not reuse per-file summaries from the cache (there is no cache yet; accepted for scripts)");
  app->add_option("--color", args->color, "Colour the table")->check(CLI::IsMember({"auto", "always", "never"}))->capture_default_str();
  return {app, [args] { return run_scan(*args); }};
}

}  // namespace gapmap::cli
