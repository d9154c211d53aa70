// The parse-only floor: discover the same files gapmap would, read each, parse it with the same
// pinned tree-sitter runtime and grammars on the same number of threads, and nothing else.
// scripts/bench.sh divides gapmap's time by this program's to get the ratios it prints.
//
//   parse_floor [--jobs N] [--no-ignore] [--query] PATH...
//
// --query also runs each language's extraction query over the tree (no summary is built): the
// split between tree-sitter's query engine and gapmap's own summarising, for profiling.
#include <tree_sitter/api.h>

#include <atomic>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "discover/generated.h"
#include "discover/walker.h"
#include "lang/languages.h"
#include "lang/registry.h"
#include "lang/ts_handles.h"
#include "pipeline/scan.h"

int main(int argc, char** argv) {
  using namespace gapmap;
  unsigned jobs = std::max(1u, std::thread::hardware_concurrency());
  discover::DiscoverOptions options;
  std::vector<std::string> paths;
  bool with_query = false;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--jobs" && i + 1 < argc) jobs = static_cast<unsigned>(std::stoul(argv[++i]));
    else if (arg == "--no-ignore") options.use_ignore_files = false;
    else if (arg == "--query") with_query = true;
    else paths.push_back(arg);
  }
  if (paths.empty()) paths.push_back(".");
  discover::Discovery found;
  try {
    found = discover::discover(paths, options);
  } catch (const std::exception& e) {
    std::cerr << "parse_floor: " << e.what() << "\n";
    return 2;
  }
  rules::RuleFiles rules = rules::RuleFiles::embedded();
  lang::LanguageRegistry registry(rules);
  if (with_query) registry.prepare_all();
  std::atomic<size_t> next{0};
  std::atomic<uint64_t> bytes{0}, parsed{0};
  auto worker = [&] {
    lang::ParserHandle parser(ts_parser_new());
    lang::QueryCursorHandle cursor(ts_query_cursor_new());
    for (size_t i = next++; i < found.files.size(); i = next++) {
      const auto& f = found.files[i];
      std::ifstream in(f.absolute, std::ios::binary);
      std::ostringstream ss;
      ss << in.rdbuf();
      std::string text = ss.str();
      if (!pipeline::decode_source(text) || (options.use_ignore_files && discover::looks_generated(f.relative, text)))
        continue;
      const lang::GrammarInfo* g = lang::grammar_by_name(f.language);
      if (!g) continue;  // notebooks: read, not parsed (their cells are Python)
      ts_parser_set_language(parser.get(), g->language());
      lang::TreeHandle tree(ts_parser_parse_string(parser.get(), nullptr, text.data(), static_cast<uint32_t>(text.size())));
      if (!tree) continue;
      ++parsed;
      bytes += text.size();
      if (const lang::CompiledLanguage* l = registry.find(f.language); with_query && l) {
        ts_query_cursor_exec(cursor.get(), l->query.get(), ts_tree_root_node(tree.get()));
        TSQueryMatch match;
        while (ts_query_cursor_next_match(cursor.get(), &match)) {
        }
      }
    }
  };
  std::vector<std::jthread> pool;
  for (unsigned j = 0; j < jobs; ++j) pool.emplace_back(worker);
  pool.clear();
  std::printf("files %zu parsed %llu bytes %llu\n", found.files.size(), static_cast<unsigned long long>(parsed.load()),
              static_cast<unsigned long long>(bytes.load()));
  return 0;
}
