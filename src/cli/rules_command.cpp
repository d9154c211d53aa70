// `gapmap rules`: the checklist, from the same data that feeds SARIF and docs/rules.
#include <fmt/format.h>

#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>

#include "cli/command.h"
#include "rules/check_docs.h"

namespace gapmap::cli {

Command add_rules_command(CLI::App& root) {
  auto format = std::make_shared<std::string>("table");
  auto rules_dir = std::make_shared<std::string>();
  CLI::App* app = root.add_subcommand("rules", "List the checks gapmap runs on every LLM call site");
  app->add_option("--format", *format, "table or json")->check(CLI::IsMember({"table", "json"}))->capture_default_str();
  app->add_option("--rules", *rules_dir, "Add or override rule packs from DIR");
  app->footer("Run `gapmap explain ID` for why a check matters and examples that pass and fail.");
  return {app, [format, rules_dir] {
            std::vector<rules::CheckDoc> docs;
            try {
              rules::RuleFiles files = rules::RuleFiles::embedded();
              if (!rules_dir->empty()) files.overlay(*rules_dir);
              docs = rules::load_check_docs(files);
            } catch (const rules::RuleError& e) {
              std::cerr << "gapmap: " << e.what() << "\n";
              return kExitUsage;
            }
            if (*format == "json") {
              nlohmann::ordered_json out = nlohmann::ordered_json::array();
              for (const auto& d : docs) out.push_back(rules::check_doc_json(d, rules::kDocsBaseUri));
              std::cout << out.dump(2) << "\n";
              return kExitOk;
            }
            // Levels per tier in kTiers order, abbreviated so the table stays one line per check.
            std::cout << fmt::format("{:<7} {:<23} {:>6}  {:<17}  {}\n", "ID", "CHECK", "WEIGHT", "LEVEL C R S I B P",
                                     "SUMMARY");
            for (const auto& d : docs) {
              std::string levels;
              for (Level l : d.levels) {
                if (!levels.empty()) levels += ' ';
                levels += l == Level::Error ? 'E' : l == Level::Warning ? 'W' : l == Level::Note ? 'N' : '-';
              }
              std::string weight = d.project_level ? "proj" : std::to_string(d.weight);
              std::cout << fmt::format("{:<7} {:<23} {:>6}  {:<17}  {}\n", d.id, d.key, weight, "      " + levels,
                                       d.short_description);
            }
            std::cout << "\nLEVEL by tier: C critical, R regulated, S standard, I internal, B batch, P prototype;\n"
                         "E error, W warning, N note, - no finding. WEIGHT counts toward the call-site score.\n";
            return kExitOk;
          }};
}

}  // namespace gapmap::cli
