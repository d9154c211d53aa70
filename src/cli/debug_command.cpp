// `gapmap debug summary|tree FILE`: what the extractor sees, for people writing rules and queries.
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>

#include "cli/command.h"
#include "core/summary_json.h"
#include "lang/extractor.h"
#include "lang/languages.h"
#include "lang/registry.h"
#include "pipeline/scan.h"

namespace gapmap::cli {

Command add_debug_command(CLI::App& root) {
  auto what = std::make_shared<std::string>();
  auto file = std::make_shared<std::string>();
  CLI::App* app = root.add_subcommand("debug", "Show the file summary (or syntax tree) gapmap extracts from FILE");
  app->group("");  // hidden from the main help
  app->add_option("what", *what, "summary or tree")->required()->check(CLI::IsMember({"summary", "tree"}));
  app->add_option("file", *file, "Source file")->required();
  return {app, [what, file] {
            std::ifstream in(*file, std::ios::binary);
            if (!in) {
              std::cerr << "gapmap: " << *file << ": cannot read\n";
              return kExitUsage;
            }
            std::ostringstream ss;
            ss << in.rdbuf();
            std::string text = ss.str();
            pipeline::decode_source(text);
            auto language = lang::language_for_path(*file);
            if (!language) {
              std::cerr << "gapmap: " << *file << ": no grammar for this file type\n";
              return kExitUsage;
            }
            rules::RuleFiles rules = rules::RuleFiles::embedded();
            lang::LanguageRegistry registry(rules);
            registry.prepare(*language);
            if (*what == "tree") {
              const lang::CompiledLanguage* l = registry.find(*language);
              if (!l) {
                std::cerr << "gapmap: " << *file << ": tree view needs a source language\n";
                return kExitUsage;
              }
              lang::ParserHandle parser(ts_parser_new());
              ts_parser_set_language(parser.get(), l->grammar->language());
              lang::TreeHandle tree(ts_parser_parse_string(parser.get(), nullptr, text.data(), static_cast<uint32_t>(text.size())));
              char* s = ts_node_string(ts_tree_root_node(tree.get()));
              std::cout << s << "\n";
              free(s);  // allocated by tree-sitter with malloc
              return kExitOk;
            }
            lang::Extractor extractor(registry);
            std::cout << summary_to_json(extractor.summarize(*language, *file, text)).dump(2) << "\n";
            return kExitOk;
          }};
}

}  // namespace gapmap::cli
