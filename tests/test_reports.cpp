// Markdown summary and the dependency map (DOT, Mermaid, text): goldens from the hand-built
// report, escaping, size limits, and that Graphviz accepts the DOT.
#include <doctest/doctest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "golden/sample_report.h"
#include "support/run_gapmap.h"
#include "report/graph_report.h"
#include "report/markdown_report.h"
#include "rules/check_docs.h"

namespace {

namespace fs = std::filesystem;

gapmap::report::MarkdownOptions markdown_options() {
  gapmap::report::MarkdownOptions o;
  o.checks = gapmap::rules::load_check_docs(gapmap::rules::RuleFiles::embedded());
  return o;
}

size_t count(const std::string& haystack, std::string_view needle) {
  size_t n = 0;
  for (size_t pos = haystack.find(needle); pos != std::string::npos; pos = haystack.find(needle, pos + 1)) ++n;
  return n;
}

// Another site per file, so the report has many files: for the size limit.
gapmap::Report many_files(int files) {
  gapmap::Report r = gapmap::testing::sample_report();
  gapmap::CallSite base = r.call_sites.front();
  for (int i = 0; i < files; ++i) {
    gapmap::CallSite s = base;
    s.id = "cs-extra-" + std::to_string(i);
    s.file = "generated/module_" + std::to_string(1000 + i) + ".py";
    r.call_sites.push_back(s);
    r.findings.push_back(gapmap::testing::finding(s, "GAP001", "fallback", gapmap::Level::Warning,
                                                  "no handler around the call", "fp" + std::to_string(i)));
  }
  return r;
}

}  // namespace

TEST_CASE("reports golden: markdown summary") {
  std::string md = gapmap::report::render_markdown(gapmap::testing::sample_report(), markdown_options());
  gapmap::testing::check_golden("sample.md", md);
  CHECK(md == gapmap::report::render_markdown(gapmap::testing::sample_report(), markdown_options()));
}

TEST_CASE("reports golden: dependency map as dot, mermaid and text") {
  auto r = gapmap::testing::sample_report();
  gapmap::testing::check_golden("sample.dot", gapmap::report::render_dot(r));
  gapmap::testing::check_golden("sample.mmd", gapmap::report::render_mermaid(r));
  gapmap::testing::check_golden("sample.map.txt", gapmap::report::render_map_text(r));
  CHECK(gapmap::report::render_dot(r) == gapmap::report::render_dot(r));
  CHECK(gapmap::report::render_mermaid(r) == gapmap::report::render_mermaid(r));
}

TEST_CASE("reports markdown: worst sites first, counts, escaping") {
  std::string md = gapmap::report::render_markdown(gapmap::testing::sample_report(), markdown_options());
  CHECK(md.find("**Score 25 / 100**") != std::string::npos);
  // The binding scores 0, so it leads the table; the 44 comes last.
  auto worst = md.find("| 0 | `notebooks/explore.ipynb:40`");
  auto best = md.find("| 44 | `app/llm.py:20`");
  REQUIRE(worst != std::string::npos);
  REQUIRE(best != std::string::npos);
  CHECK(worst < best);
  // The suppressed and the baselined finding are not counted among the active ones.
  CHECK(md.find("3 errors, 8 warnings, 2 notes (not counted: 1 suppressed, 1 unchanged from the baseline)") !=
        std::string::npos);
  // A pipe in a message must not split the table row, and <module> must not vanish as HTML.
  CHECK(md.find("has no timeout \\| the SDK default") != std::string::npos);
  CHECK(md.find("`<module>`") != std::string::npos);
  CHECK(count(md, "<details>") == count(md, "</details>"));
  CHECK(md.find("\n[GAP002]: https://github.com/gapmap/gapmap/blob/main/docs/rules/GAP002.md\n") != std::string::npos);
  CHECK(md.find("[completion\\_check][GAP002]") != std::string::npos);
}

TEST_CASE("reports markdown: stays under the size limit and says what it left out") {
  auto o = markdown_options();
  o.max_bytes = 12'000;
  std::string md = gapmap::report::render_markdown(many_files(200), o);
  CHECK(md.size() <= o.max_bytes);
  CHECK(md.find("more files not shown") != std::string::npos);
  CHECK(count(md, "<details>") == count(md, "</details>"));
}

TEST_CASE("reports: an empty report renders everywhere") {
  gapmap::Report r;
  r.files_scanned = 3;
  CHECK(gapmap::report::render_markdown(r, markdown_options()).find("No LLM call sites found in 3 files.") !=
        std::string::npos);
  CHECK(gapmap::report::render_map_text(r) == "No LLM call sites found in 3 files.\n");
  CHECK(gapmap::report::render_dot(r).find("digraph gapmap {") != std::string::npos);
  CHECK(gapmap::report::render_mermaid(r).starts_with("flowchart LR\n"));
}

TEST_CASE("reports map: fallback edges come from passing fallback evidence naming another provider") {
  auto r = gapmap::testing::sample_report();
  auto edges = gapmap::report::fallback_edges(r);
  REQUIRE(edges.size() == 1);
  CHECK(edges[0].from == "openai");
  CHECK(edges[0].to == "anthropic");
  CHECK(edges[0].sites == 1);
  // "azure-openai" in a note is not "openai"; a failing check draws no edge.
  r.call_sites[1].checks["fallback"].evidence[0].note = "handler calls azure-openai chat";
  r.call_sites[1].provider = "anthropic";
  r.call_sites[0].provider = "openai";
  CHECK(gapmap::report::fallback_edges(r).empty());
}

TEST_CASE("reports map: labels with quotes and backslashes stay inside their strings") {
  auto r = gapmap::testing::sample_report();
  r.call_sites[0].function = "weird\"name\\";
  r.call_sites[0].model = "m<1>#2";
  std::string dot = gapmap::report::render_dot(r);
  CHECK(dot.find("weird\\\"name\\\\") != std::string::npos);
  std::string mmd = gapmap::report::render_mermaid(r);
  CHECK(mmd.find("weird#quot;name") != std::string::npos);
  CHECK(mmd.find("m#lt;1#gt;#35;2") != std::string::npos);
}

TEST_CASE("reports map: Graphviz renders the DOT") {
  if (std::system("command -v dot > /dev/null 2>&1") != 0) {
    MESSAGE("skipped: Graphviz `dot` is not installed");
    return;
  }
  std::string templ = (fs::temp_directory_path() / "gapmap-dot-XXXXXX").string();
  REQUIRE(::mkdtemp(templ.data()) != nullptr);
  fs::path dir(templ);
  auto r = gapmap::testing::sample_report();
  r.call_sites[0].function = "weird\"name\\";
  for (const auto& [name, report] : {std::pair{"sample", gapmap::testing::sample_report()}, std::pair{"odd", r},
                                     std::pair{"empty", gapmap::Report{}}}) {
    CAPTURE(name);
    fs::path in = dir / (std::string(name) + ".dot"), out = dir / (std::string(name) + ".svg");
    std::ofstream(in) << gapmap::report::render_dot(report);
    std::string cmd = "dot -Tsvg '" + in.string() + "' -o '" + out.string() + "' 2> '" + (dir / "err.txt").string() + "'";
    int status = std::system(cmd.c_str());
    INFO(gapmap::testing::read_text(dir / "err.txt"));
    CHECK((WIFEXITED(status) && WEXITSTATUS(status) == 0));
    CHECK(gapmap::testing::read_text(out).find("<svg") != std::string::npos);
  }
  std::error_code ec;
  fs::remove_all(dir, ec);
}

TEST_CASE("reports cli: gapmap map as text, dot, mermaid and json") {
  using gapmap::test::run_gapmap;
  std::string src = (gapmap::testing::golden_dir() / "src").string();
  auto text = run_gapmap({"map", src});
  REQUIRE_MESSAGE(text.exit_code == 0, text.describe());
  CHECK(text.out.find("anthropic (") != std::string::npos);
  CHECK(text.out.find("summarize in app/llm.py") != std::string::npos);
  auto dot = run_gapmap({"map", src, "--format", "dot"});
  CHECK(dot.exit_code == 0);
  CHECK(dot.out.find("digraph gapmap {") != std::string::npos);
  auto mermaid = run_gapmap({"map", src, "--format", "mermaid"});
  CHECK(mermaid.out.starts_with("flowchart LR\n"));
  auto json = run_gapmap({"map", src, "--format", "json"});
  REQUIRE(json.exit_code == 0);
  CHECK(nlohmann::json::parse(json.out).contains("providers"));
  gapmap::test::TempDir tmp;
  auto written = run_gapmap({"map", src, "--format", "dot", "--output", (tmp / "map.dot").string()});
  CHECK(written.exit_code == 0);
  CHECK(written.out.empty());
  CHECK(gapmap::test::read_file(tmp / "map.dot") == dot.out);
  CHECK(run_gapmap({"map", src, "--format", "png"}).exit_code == 2);
  CHECK(run_gapmap({"map", (tmp / "missing").string()}).exit_code == 2);
}
