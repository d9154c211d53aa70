#pragma once
// Every sub-command lives in its own file and registers itself on the root app; main() runs the
// one the user named. The CLI is the only layer that writes to stdout/stderr.
#include <CLI/CLI.hpp>
#include <functional>

namespace gapmap::cli {

struct Command {
  CLI::App* app = nullptr;
  std::function<int()> run;  // returns the process exit code
};

Command add_scan_command(CLI::App& root);
Command add_providers_command(CLI::App& root);
Command add_upload_command(CLI::App& root);
Command add_debug_command(CLI::App& root);  // hidden: summaries and trees for rule authors
Command add_rules_command(CLI::App& root);
Command add_explain_command(CLI::App& root);
Command add_map_command(CLI::App& root);
Command add_init_command(CLI::App& root);

// Exit codes (SPEC §5).
inline constexpr int kExitOk = 0;
inline constexpr int kExitGateFailed = 1;
inline constexpr int kExitUsage = 2;

}  // namespace gapmap::cli
