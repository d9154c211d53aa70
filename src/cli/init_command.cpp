// `gapmap init`: writes a commented starter .gapmap.json (never over an existing one).
#include <filesystem>
#include <iostream>
#include <memory>

#include "cli/command.h"
#include "config/config.h"
#include "core/atomic_file.h"

namespace gapmap::cli {

Command add_init_command(CLI::App& root) {
  auto path = std::make_shared<std::string>(".gapmap.json");
  auto force = std::make_shared<bool>(false);
  CLI::App* app = root.add_subcommand("init", "Write a commented starter .gapmap.json (tiers, weights, excludes)");
  app->add_option("--output,-o", *path, "Where to write it")->capture_default_str();
  app->add_flag("--force", *force, "Overwrite an existing file");
  return {app, [path, force] {
            std::error_code ec;
            if (std::filesystem::exists(*path, ec) && !*force) {
              std::cerr << "gapmap: " << *path << " already exists; edit it, or pass --force to replace it\n";
              return kExitUsage;
            }
            if (auto err = write_file_atomic(*path, config::starter_config()); !err.empty()) {
              std::cerr << "gapmap: " << err << "\n";
              return kExitUsage;
            }
            std::cout << "wrote " << *path << "\n";
            return kExitOk;
          }};
}

}  // namespace gapmap::cli
