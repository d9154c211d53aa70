// The CI gate end to end (SPEC §5): inline suppressions, unused ignores, baselines that survive
// code moving, --fail-on and --min-score exit codes, and what SARIF carries for each.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "support/run_gapmap.h"

namespace {

using gapmap::test::RunResult;
using gapmap::test::run_gapmap;
using gapmap::test::TempDir;
using nlohmann::json;

constexpr const char* kNaive = R"(import anthropic

client = anthropic.Anthropic()


def summarize(text: str) -> str:
    msg = client.messages.create(model="claude-sonnet-4-20250514", max_tokens=512, messages=[{"role": "user", "content": text}])
    return msg.content[0].text
)";

json scan(const TempDir& d, std::vector<std::string> extra = {}) {
  std::vector<std::string> args{"scan", d.path().string(), "--format", "json", "--fail-on", "never"};
  args.insert(args.end(), extra.begin(), extra.end());
  RunResult r = run_gapmap(args);
  INFO(r.describe());
  REQUIRE(r.exit_code == 0);
  return json::parse(r.out);
}

}  // namespace

TEST_CASE("gate: a finding at error level fails the gate; --fail-on never and a lower threshold behave") {
  TempDir d;
  d.write("app.py", kNaive);
  // standard tier: completion_check and schema/retry are errors when they fail.
  RunResult r = run_gapmap({"scan", d.path().string(), "--quiet"});
  CHECK(r.exit_code == 1);
  CHECK(run_gapmap({"scan", d.path().string(), "--fail-on", "never"}).exit_code == 0);
  // prototype tier: nothing above note, so the default gate (error) passes.
  CHECK(run_gapmap({"scan", d.path().string(), "--tier", "prototype"}).exit_code == 0);
  CHECK(run_gapmap({"scan", d.path().string(), "--tier", "prototype", "--fail-on", "note"}).exit_code == 1);
}

TEST_CASE("gate: --min-score fails below the project score and passes at or under it") {
  TempDir d;
  d.write("app.py", kNaive);
  json report = scan(d);
  int score = report["summary"]["score"].get<int>();
  CHECK(run_gapmap({"scan", d.path().string(), "--fail-on", "never", "--min-score", std::to_string(score + 1)}).exit_code == 1);
  CHECK(run_gapmap({"scan", d.path().string(), "--fail-on", "never", "--min-score", std::to_string(score)}).exit_code == 0);
  CHECK(run_gapmap({"scan", d.path().string(), "--min-score", "101"}).exit_code == 2);
}

TEST_CASE("gate: an inline ignore suppresses the named rules, stays in JSON and SARIF, and leaves the gate") {
  TempDir d;
  std::string code = kNaive;
  code.replace(code.find("    msg = client"), 0,
               "    # gapmap: ignore[GAP001,GAP002,GAP003,GAP004,GAP005,GAP006,GAP007,GAP008] reviewed: batch job\n");
  d.write("app.py", code);
  json report = scan(d);
  size_t suppressed = 0;
  for (const auto& f : report["findings"])
    if (f["suppressed"].get<bool>()) {
      ++suppressed;
      CHECK(f["suppression_reason"] == "reviewed: batch job");
    }
  CHECK(suppressed >= 5);
  // Only the project-level GAP009 is left to gate on (a warning in the standard tier).
  CHECK(run_gapmap({"scan", d.path().string(), "--quiet"}).exit_code == 0);
  RunResult sarif = run_gapmap({"scan", d.path().string(), "--format", "sarif", "--fail-on", "never"});
  REQUIRE(sarif.exit_code == 0);
  json log = json::parse(sarif.out);
  size_t with_suppressions = 0;
  for (const auto& res : log["runs"][0]["results"])
    if (res.contains("suppressions")) {
      ++with_suppressions;
      CHECK(res["suppressions"][0]["kind"] == "inSource");
    }
  CHECK(with_suppressions == suppressed);
}

TEST_CASE("gate: an ignore comment that suppresses nothing is reported as a note") {
  TempDir d;
  d.write("app.py", std::string("# gapmap: ignore[GAP004] nothing here\nimport os\n") + kNaive);
  json report = scan(d);
  bool found = false;
  for (const auto& f : report["findings"])
    if (f["file"] == "app.py" && f["line"] == 1) {
      found = true;
      CHECK(f["level"] == "note");
      CHECK(f["message"].get<std::string>().find("suppresses nothing") != std::string::npos);
    }
  CHECK(found);
}

TEST_CASE("gate: a baseline keeps matching after lines are inserted above every call, and new findings still gate") {
  TempDir d;
  d.write("app.py", kNaive);
  auto baseline = (d / "baseline.json").string();
  REQUIRE(run_gapmap({"scan", d.path().string(), "--write-baseline", baseline, "--fail-on", "never"}).exit_code == 0);

  // Move the code: ten lines inserted at the top, an unrelated edit below.
  d.write("app.py", std::string(10, '\n') + "# a comment\n" + kNaive + "\n\nVERSION = 2\n");
  json report = scan(d, {"--baseline", baseline});
  REQUIRE(!report["findings"].empty());
  for (const auto& f : report["findings"]) {
    if (f["rule"] == "GAP000") continue;
    CHECK_MESSAGE(f["baseline"].get<bool>(), f.dump());
  }
  CHECK(run_gapmap({"scan", d.path().string(), "--baseline", baseline, "--quiet"}).exit_code == 0);
  RunResult sarif = run_gapmap({"scan", d.path().string(), "--baseline", baseline, "--format", "sarif", "--fail-on", "never"});
  json log = json::parse(sarif.out);
  for (const auto& res : log["runs"][0]["results"]) CHECK(res["baselineState"] == "unchanged");

  // A second call is new: it is not in the baseline and fails the gate again.
  d.write("more.py", std::string(kNaive));
  json again = scan(d, {"--baseline", baseline});
  bool new_finding = false;
  for (const auto& f : again["findings"])
    if (f["file"] == "more.py" && !f["baseline"].get<bool>()) new_finding = true;
  CHECK(new_finding);
  CHECK(run_gapmap({"scan", d.path().string(), "--baseline", baseline, "--quiet"}).exit_code == 1);
}

TEST_CASE("gate: a baseline file that is not one is exit 2 with its name") {
  TempDir d;
  d.write("app.py", kNaive);
  auto bad = d.write("bad.json", "{ not json");
  RunResult r = run_gapmap({"scan", d.path().string(), "--baseline", bad.string()});
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("bad.json") != std::string::npos);
}

TEST_CASE("gate: JSON and SARIF are byte-identical whatever --jobs") {
  const std::string samples = std::string(GAPMAP_SOURCE_DIR) + "/samples";
  for (const char* format : {"json", "sarif"}) {
    RunResult one = run_gapmap({"scan", samples, "--format", format, "--fail-on", "never", "--jobs", "1"});
    RunResult two = run_gapmap({"scan", samples, "--format", format, "--fail-on", "never", "--jobs", "2"});
    REQUIRE(one.exit_code == 0);
    REQUIRE(two.exit_code == 0);
    CHECK_MESSAGE(one.out == two.out, format);
  }
}

TEST_CASE("gate: the table's provider summary shows fallback coverage") {
  RunResult r = run_gapmap({"scan", std::string(GAPMAP_SOURCE_DIR) + "/samples/python/05-full-hardening", "--color", "never"});
  REQUIRE(r.exit_code == 0);
  CHECK(r.out.find("fallback") != std::string::npos);
  CHECK(r.out.find("anthropic") != std::string::npos);
  CHECK(r.out.find("1/1") != std::string::npos);  // the Claude site falls back to GPT
}
