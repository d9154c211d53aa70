// gapmap's entry point: builds the command tree, parses, runs the chosen command.
#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <iostream>

#include "cli/command.h"

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
