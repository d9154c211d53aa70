// gapmap's entry point: builds the command tree, parses, runs the chosen command.
#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <iostream>
#include <string>
#include <string_view>
#include <vector>

#include "cli/command.h"

namespace {

size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diag = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diag + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diag = up;
    }
  }
  return row[b.size()];
}

// "scna" -> "scan": the visible subcommand within two edits, if there is one.
std::string nearest_command(const CLI::App& app, std::string_view typed) {
  std::string best;
  size_t best_distance = 3;
  for (const CLI::App* sub : app.get_subcommands([](const CLI::App* a) { return !a->get_group().empty(); })) {
    size_t d = edit_distance(typed, sub->get_name());
    if (d < best_distance) {
      best_distance = d;
      best = sub->get_name();
    }
  }
  return best;
}

bool is_command(const CLI::App& app, std::string_view name) {
  auto all = app.get_subcommands([](const CLI::App*) { return true; });
  return std::any_of(all.begin(), all.end(), [&](const CLI::App* a) { return a->get_name() == name; });
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"gapmap maps every place a codebase calls an LLM and audits each for the AI Coordination Gap\n"
               "(no fallback, no completion check, no schema check, no breaker, unsafe retries, no tracing, no timeout).",
               "gapmap"};
  app.set_version_flag("--version", std::string("gapmap ") + GAPMAP_VERSION);
  app.require_subcommand(1);
  app.footer("Run `gapmap COMMAND --help` for a command's options. Exit codes: 0 ok, 1 gate failed, 2 usage or I/O error.");

  std::vector<gapmap::cli::Command> commands;
  commands.push_back(gapmap::cli::add_scan_command(app));
  commands.push_back(gapmap::cli::add_providers_command(app));
  commands.push_back(gapmap::cli::add_upload_command(app));
  commands.push_back(gapmap::cli::add_rules_command(app));
  commands.push_back(gapmap::cli::add_explain_command(app));
  commands.push_back(gapmap::cli::add_map_command(app));
  commands.push_back(gapmap::cli::add_init_command(app));
  commands.push_back(gapmap::cli::add_debug_command(app));

  if (argc == 1) {  // `gapmap` alone: what it can do, on stdout; still not a successful run
    std::cout << app.help();
    return gapmap::cli::kExitUsage;
  }
  if (std::string_view first = argv[1]; !first.starts_with("-") && !is_command(app, first)) {
    std::string guess = nearest_command(app, first);
    std::cerr << "gapmap: unknown command '" << first << "'"
              << (guess.empty() ? std::string(".") : "; did you mean '" + guess + "'?") << "\n"
              << "Run `gapmap --help` to see the commands.\n";
    return gapmap::cli::kExitUsage;
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    std::cerr << "gapmap: " << e.what() << "\n";
    std::cerr << "Run `gapmap --help` (or `gapmap COMMAND --help`) to see what is accepted.\n";
    return gapmap::cli::kExitUsage;
  }
  for (auto& c : commands)
    if (c.app && c.app->parsed()) return c.run();
  return gapmap::cli::kExitUsage;
}
