// The checklist documentation (rules/checks/*.json): it matches SPEC §3/§4, its loader rejects
// malformed packs with the file named, docs/rules/*.md are generated from it and must not drift,
// and `gapmap rules` / `gapmap explain` serve it.
#include <doctest/doctest.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <string>

#include <nlohmann/json.hpp>

#include "golden/sample_report.h"
#include "support/run_gapmap.h"
#include "rules/check_docs.h"

namespace {

namespace fs = std::filesystem;
using gapmap::Level;
using gapmap::rules::CheckDoc;
using gapmap::rules::RuleError;
using gapmap::rules::RuleFiles;

constexpr Level E = Level::Error, W = Level::Warning, N = Level::Note, X = Level::None;

struct Expected {
  const char* id;
  const char* key;
  int weight;
  std::array<Level, 6> levels;  // critical, regulated, standard, internal, batch, prototype
};

// SPEC §3 ids and keys, §4 weights and levels: the contract the data must keep.
constexpr std::array<Expected, 10> kSpec = {{
    {"GAP001", "fallback", 25, {E, E, W, N, N, X}},
    {"GAP002", "completion_check", 20, {E, E, E, E, W, N}},
    {"GAP003", "schema_validation", 15, {E, E, E, E, W, N}},
    {"GAP004", "circuit_breaker", 10, {E, E, W, N, N, X}},
    {"GAP005", "retry_safety", 10, {E, E, E, W, W, N}},
    {"GAP006", "tracing", 10, {E, E, W, N, N, X}},
    {"GAP007", "timeout", 10, {E, E, W, W, N, X}},
    {"GAP008", "degradation", 5, {W, W, N, X, X, X}},
    {"GAP009", "provider_concentration", 0, {E, E, W, N, N, X}},
    {"GAP010", "human_review", 0, {X, E, X, X, X, X}},
}};

class TempDir {
 public:
  TempDir() {
    std::string templ = (fs::temp_directory_path() / "gapmap-docs-XXXXXX").string();
    path_ = ::mkdtemp(templ.data()) ? fs::path(templ) : fs::path();
    REQUIRE_FALSE(path_.empty());
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

// The embedded GAP002 pack with one field replaced, written into an overlay directory.
std::string load_error(const TempDir& dir, const std::string& name, const std::function<void(nlohmann::json&)>& edit) {
  RuleFiles embedded = RuleFiles::embedded();
  nlohmann::json doc = embedded.parse_json("checks/GAP002.json");
  edit(doc);
  fs::create_directories(dir.path() / "checks");
  std::ofstream(dir.path() / "checks" / name) << doc.dump(2);
  RuleFiles files = RuleFiles::embedded();
  files.overlay(dir.path());
  try {
    (void)gapmap::rules::load_check_docs(files);
  } catch (const RuleError& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST_CASE("rule docs: the data matches the SPEC checklist, tiers and weights") {
  auto docs = gapmap::rules::load_check_docs(RuleFiles::embedded());
  REQUIRE(docs.size() == kSpec.size());
  for (size_t i = 0; i < kSpec.size(); ++i) {
    const CheckDoc& d = docs[i];
    CAPTURE(d.id);
    CHECK(d.id == kSpec[i].id);
    CHECK(d.key == kSpec[i].key);
    CHECK(d.weight == kSpec[i].weight);
    CHECK(d.levels == kSpec[i].levels);
    CHECK(d.project_level == (d.key == "provider_concentration"));
    CHECK(d.short_description.size() <= 120);
    CHECK(d.full_description.size() <= 1024);
    CHECK(d.tags.size() <= 10);
    CHECK(std::find(d.tags.begin(), d.tags.end(), d.key) != d.tags.end());
    CHECK((d.precision == "high" || d.precision == "medium"));
    CHECK_FALSE(d.fail.in("python").empty());
    CHECK_FALSE(d.pass.in("typescript").empty());
  }
  // The incident the product exists for is told where it matters most.
  CHECK(docs[1].why.find("2026-06-21") != std::string::npos);
  CHECK(docs[1].why.find("response incomplete") != std::string::npos);
  CHECK(docs[1].why.find("200") != std::string::npos);
}

TEST_CASE("rule docs: docs/rules/*.md are generated from the data and must not drift") {
  auto docs = gapmap::rules::load_check_docs(RuleFiles::embedded());
  for (const auto& d : docs) {
    CAPTURE(d.id);
    gapmap::testing::check_golden("../../docs/rules/" + d.id + ".md", gapmap::rules::render_check_page(d));
  }
  // No page for a check that no longer exists.
  for (const auto& entry : fs::directory_iterator(fs::path(GAPMAP_SOURCE_DIR) / "docs" / "rules")) {
    auto stem = entry.path().stem().string();
    if (entry.path().extension() != ".md" || !stem.starts_with("GAP")) continue;
    CHECK_MESSAGE(gapmap::rules::find_check_doc(docs, stem) != nullptr, entry.path().string() << " has no rules/checks data");
  }
}

TEST_CASE("rule docs: lookup by id, key or name, any case") {
  auto docs = gapmap::rules::load_check_docs(RuleFiles::embedded());
  for (const char* q : {"GAP002", "gap002", "completion_check", "COMPLETION-CHECK", "MissingCompletionCheck"}) {
    CAPTURE(q);
    const CheckDoc* d = gapmap::rules::find_check_doc(docs, q);
    REQUIRE(d != nullptr);
    CHECK(d->id == "GAP002");
  }
  CHECK(gapmap::rules::find_check_doc(docs, "GAP999") == nullptr);
  CHECK(docs[9].default_level() == Level::Error);
  CHECK(docs[7].default_level() == Level::Note);
  CHECK(docs[0].level_for("prototype") == Level::None);
}

TEST_CASE("rule docs: malformed packs are rejected with the file and field named") {
  TempDir dir;
  std::string err = load_error(dir, "GAP002.json", [](auto& d) { d["short"] = std::string(121, 'x'); });
  CHECK(err.find("checks/GAP002.json") != std::string::npos);
  CHECK(err.find("\"short\"") != std::string::npos);
  CHECK(load_error(dir, "GAP002.json", [](auto& d) { d["levels"]["standard"] = "fatal"; }).find("levels.standard") !=
        std::string::npos);
  CHECK(load_error(dir, "GAP002.json", [](auto& d) { d["levels"].erase("batch"); }).find("levels.batch") !=
        std::string::npos);
  CHECK(load_error(dir, "GAP002.json", [](auto& d) { d["tags"] = nlohmann::json::array({"a","b","c","d","e","f","g","h","i","j","k"}); })
            .find("\"tags\"") != std::string::npos);
  CHECK(load_error(dir, "GAP002.json", [](auto& d) { d.erase("why"); }).find("\"why\"") != std::string::npos);
  CHECK(load_error(dir, "GAP002.json", [](auto& d) { d["examples"]["pass"].erase("typescript"); })
            .find("\"typescript\"") != std::string::npos);
  CHECK(load_error(dir, "GAP002.json", [](auto& d) { d["examples"]["fail"].erase("rust"); }).find("\"rust\"") !=
        std::string::npos);
  CHECK(load_error(dir, "GAP002.json", [](auto& d) { d["examples"]["fail"]["kotlin"] = "fun x() {}"; })
            .find("examples.fail.kotlin") != std::string::npos);
  CHECK(load_error(dir, "GAP002.json", [](auto& d) { d["sevrity"] = "high"; }).find("not a known field") !=
        std::string::npos);
  CHECK(load_error(dir, "GAP002.json", [](auto& d) { d["full"] = std::string(1025, 'x'); }).find("1024") !=
        std::string::npos);
  fs::remove(dir.path() / "checks" / "GAP002.json");
  // The id must agree with the file name, and keys are unique.
  CHECK(load_error(dir, "GAP011.json", [](auto&) {}).find("name the file checks/GAP002.json") != std::string::npos);
  fs::remove(dir.path() / "checks" / "GAP011.json");
  CHECK(load_error(dir, "GAP011.json", [](auto& d) { d["id"] = "GAP011"; }).find("already used") != std::string::npos);
  fs::remove(dir.path() / "checks" / "GAP011.json");
  // Broken JSON names file:line:column (the RuleFiles contract).
  std::ofstream(dir.path() / "checks" / "GAP002.json") << "{\n  \"id\": \"GAP002\",\n  oops\n}\n";
  RuleFiles files = RuleFiles::embedded();
  files.overlay(dir.path());
  try {
    (void)gapmap::rules::load_check_docs(files);
    FAIL("expected RuleError");
  } catch (const RuleError& e) {
    CHECK(std::string(e.what()).find("GAP002.json:3:") != std::string::npos);
  }
}

TEST_CASE("rule docs: text and markdown help carry why, evidence and every language's examples") {
  auto docs = gapmap::rules::load_check_docs(RuleFiles::embedded());
  const CheckDoc& d = docs[1];
  std::string text = gapmap::rules::render_check_text(d, gapmap::rules::kDocsBaseUri);
  for (const char* part : {"WHY IT MATTERS", "WHAT COUNTS AS EVIDENCE", "FAILS (Python)", "PASSES (Python)",
                           "FAILS (TypeScript)", "PASSES (TypeScript)", "finish_reason != \"stop\"", "FAILS (Go)",
                           "PASSES (Go)", "FAILS (Rust)", "PASSES (Rust)", "FAILS (Java)", "PASSES (Java)", "FinishReason",
                           "docs/rules/GAP002.md"}) {
    CAPTURE(part);
    CHECK(text.find(part) != std::string::npos);
  }
  std::string md = gapmap::rules::render_check_markdown(d);
  CHECK(md.starts_with("# GAP002: MissingCompletionCheck\n"));
  CHECK(md.find("```typescript\n") != std::string::npos);
  CHECK(md.find("```go\n") != std::string::npos);
  CHECK(md.find("```rust\n") != std::string::npos);
  CHECK(md.find("```java\n") != std::string::npos);
  CHECK(md.find("| error | error | error | error | warning | note |") != std::string::npos);
}

TEST_CASE("rule docs cli: gapmap rules and gapmap explain") {
  using gapmap::test::run_gapmap;
  auto rules = run_gapmap({"rules"});
  CHECK_MESSAGE(rules.exit_code == 0, rules.describe());
  CHECK(rules.out.find("GAP010") != std::string::npos);
  auto json = run_gapmap({"rules", "--format", "json"});
  REQUIRE_MESSAGE(json.exit_code == 0, json.describe());
  auto parsed = nlohmann::json::parse(json.out);
  REQUIRE(parsed.size() == 10);
  CHECK(parsed[0]["id"] == "GAP001");
  CHECK(parsed[0]["help_uri"] == "https://github.com/gapmap/gapmap/blob/main/docs/rules/GAP001.md");

  auto explain = run_gapmap({"explain", "Completion_Check"});
  CHECK_MESSAGE(explain.exit_code == 0, explain.describe());
  CHECK(explain.out.starts_with("GAP002 MissingCompletionCheck"));
  CHECK(explain.out.find("2026-06-21") != std::string::npos);
  CHECK(explain.out.find("PASSES (TypeScript)") != std::string::npos);
  auto markdown = run_gapmap({"explain", "GAP005", "--format", "markdown"});
  CHECK(markdown.out.starts_with("# GAP005: UnsafeRetry\n"));

  auto unknown = run_gapmap({"explain", "GAP999"});
  CHECK(unknown.exit_code == 2);
  CHECK(unknown.out.empty());
  CHECK(unknown.err.find("unknown check \"GAP999\"") != std::string::npos);
  CHECK(unknown.err.find("GAP010  human_review") != std::string::npos);

  // A broken documentation pack is a configuration error naming the file.
  TempDir dir;
  fs::create_directories(dir.path() / "checks");
  std::ofstream(dir.path() / "checks" / "GAP001.json") << "{\"id\": \"GAP001\"}";
  auto broken = run_gapmap({"rules", "--rules", dir.path().string()});
  CHECK(broken.exit_code == 2);
  CHECK(broken.err.find("GAP001.json") != std::string::npos);
}
