// `gapmap explain CHECK`: the long help for one check, with failing and passing examples.
#include <fmt/format.h>

#include <iostream>
#include <memory>

#include "cli/command.h"
#include "rules/check_docs.h"

namespace gapmap::cli {

Command add_explain_command(CLI::App& root) {
  auto check = std::make_shared<std::string>();
  auto format = std::make_shared<std::string>("text");
  auto rules_dir = std::make_shared<std::string>();
  CLI::App* app = root.add_subcommand("explain", "Explain a check: why it matters, what passes, examples");
  app->add_option("check", *check, "A check id (GAP002) or key (completion_check), any case")->required();
  app->add_option("--format", *format, "text, markdown or json")
      ->check(CLI::IsMember({"text", "markdown", "json"}))
      ->capture_default_str();
  app->add_option("--rules", *rules_dir, "Add or override rule packs from DIR");
  return {app, [check, format, rules_dir] {
            std::vector<rules::CheckDoc> docs;
            try {
              rules::RuleFiles files = rules::RuleFiles::embedded();
              if (!rules_dir->empty()) files.overlay(*rules_dir);
              docs = rules::load_check_docs(files);
            } catch (const rules::RuleError& e) {
              std::cerr << "gapmap: " << e.what() << "\n";
              return kExitUsage;
            }
            const rules::CheckDoc* doc = rules::find_check_doc(docs, *check);
            if (!doc) {
              std::cerr << fmt::format("gapmap: unknown check \"{}\". Known checks:\n", *check);
              for (const auto& d : docs) std::cerr << fmt::format("  {}  {}\n", d.id, d.key);
              return kExitUsage;
            }
            if (*format == "json") {
              std::cout << rules::check_doc_json(*doc, rules::kDocsBaseUri).dump(2) << "\n";
            } else if (*format == "markdown") {
              std::cout << rules::render_check_markdown(*doc);
            } else {
              std::cout << rules::render_check_text(*doc, rules::kDocsBaseUri);
            }
            return kExitOk;
          }};
}

}  // namespace gapmap::cli
