// `gapmap providers`: the SDK catalog as gapmap knows it, by language.
#include <fmt/format.h>

#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>

#include "cli/command.h"
#include "rules/catalog.h"

namespace gapmap::cli {

Command add_providers_command(CLI::App& root) {
  auto format = std::make_shared<std::string>("table");
  auto rules_dir = std::make_shared<std::string>();
  CLI::App* app = root.add_subcommand("providers", "List the SDKs, clients and methods gapmap recognises");
  app->add_option("--format", *format, "table or json")->check(CLI::IsMember({"table", "json"}))->capture_default_str();
  app->add_option("--rules", *rules_dir, "Add or override rule packs from DIR");
  return {app, [format, rules_dir] {
            rules::RuleFiles files = rules::RuleFiles::embedded();
            rules::Catalog cat;
            try {
              if (!rules_dir->empty()) files.overlay(*rules_dir);
              cat = rules::load_catalog(files);
            } catch (const rules::RuleError& e) {
              std::cerr << "gapmap: " << e.what() << "\n";
              return kExitUsage;
            }
            if (*format == "json") {
              nlohmann::ordered_json out = nlohmann::ordered_json::array();
              for (const auto& s : cat.sdks) {
                nlohmann::ordered_json j{{"sdk", s.id}, {"languages", s.languages}, {"provider", s.provider}, {"via", s.via}};
                std::vector<std::string> clients, methods, functions;
                for (const auto& c : s.clients) clients.push_back(c.symbol);
                for (const auto& m : s.methods) methods.push_back(m.chain);
                for (const auto& f : s.functions) functions.push_back(f.symbol);
                j["clients"] = clients;
                j["methods"] = methods;
                j["functions"] = functions;
                out.push_back(j);
              }
              std::cout << out.dump(2) << "\n";
              return kExitOk;
            }
            for (const auto& s : cat.sdks) {
              std::cout << fmt::format("{} ({}; provider {}, via {})\n", s.id, fmt::join(s.languages, ", "), s.provider, s.via);
              for (const auto& c : s.clients) std::cout << fmt::format("  client   {}\n", c.symbol);
              for (const auto& m : s.methods) std::cout << fmt::format("  method   .{}\n", m.chain);
              for (const auto& f : s.functions) std::cout << fmt::format("  function {}\n", f.symbol);
            }
            return kExitOk;
          }};
}

}  // namespace gapmap::cli
