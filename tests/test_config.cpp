// Tiers, levels and score (SPEC §4) and configuration (SPEC §5) end to end: .gapmap.json tier
// globs, inline `gapmap: tier=...` comments, --tier, malformed configuration, weights, and the
// score arithmetic. Fixtures live under tests/fixtures/checks/config/; configurations that must
// be broken on purpose are written to temporary directories at test time.
#include <doctest/doctest.h>

#include "support/run_gapmap.h"
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <regex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace {

namespace fs = std::filesystem;
using nlohmann::json;

// ---- running the binary: the shared runner in tests/support ------------------------------------

using Run = gapmap::test::RunResult;
using gapmap::test::run_gapmap;


fs::path fixture(const std::string& rel) { return fs::path(GAPMAP_FIXTURES) / "checks" / rel; }

json parse_report(const Run& r, const std::string& what) {
  INFO("gapmap scan " << what << " exited " << r.exit_code << "; stderr: " << r.err);
  CHECK(r.exit_code == 0);
  try {
    return json::parse(r.out);
  } catch (const json::parse_error& e) {
    FAIL_CHECK("unparsable JSON from gapmap scan " << what << ": " << e.what());
  }
  return json::object();
}

// `gapmap scan <path> --format json --fail-on never <extra...>`, parsed; cached per arguments.
const json& scan(const fs::path& path, const std::vector<std::string>& extra = {}) {
  static std::map<std::string, json> cache;
  std::vector<std::string> args{"scan", path.string(), "--format", "json", "--fail-on", "never"};
  args.insert(args.end(), extra.begin(), extra.end());
  std::string key;
  for (const auto& a : args) key += a + '\n';
  auto it = cache.find(key);
  if (it != cache.end()) return it->second;
  json doc = parse_report(run_gapmap(args), key);
  return cache.emplace(key, std::move(doc)).first->second;
}

// A scratch directory, removed on destruction.
class TempDir {
 public:
  TempDir() {
    static std::atomic<int> counter{0};
    path_ = fs::temp_directory_path() /
            ("gapmap_config_test_" + std::to_string(::getpid()) + "_" + std::to_string(counter++));
    fs::remove_all(path_);
    fs::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const fs::path& path() const { return path_; }
  fs::path write(const std::string& rel, const std::string& content) const {
    fs::path p = path_ / rel;
    fs::create_directories(p.parent_path());
    std::ofstream(p, std::ios::binary) << content;
    return p;
  }

 private:
  fs::path path_;
};

const json* site_at(const json& report, const std::string& file, int line) {
  if (!report.contains("call_sites")) return nullptr;
  for (const auto& s : report["call_sites"])
    if (s.value("file", "") == file && s.value("line", 0) == line) return &s;
  return nullptr;
}

const json* site_in_function(const json& report, const std::string& file, const std::string& function) {
  if (!report.contains("call_sites")) return nullptr;
  for (const auto& s : report["call_sites"])
    if (s.value("file", "") == file && s.value("function", "") == function) return &s;
  return nullptr;
}

// Findings of one site for one check (not suppressed).
std::vector<const json*> findings_for(const json& report, const json& site, const std::string& check) {
  std::vector<const json*> out;
  for (const auto& f : report["findings"])
    if (f.value("check", "") == check && f.contains("call_site") && f["call_site"] == site["id"]) out.push_back(&f);
  return out;
}

// The level a finding of `check` has for a site in `tier`, "" for none (SPEC §4).
const std::vector<std::string> kTiers = {"critical", "regulated", "standard", "internal", "batch", "prototype"};
const std::map<std::string, std::vector<std::string>> kLevels = {
    {"fallback", {"error", "error", "warning", "note", "note", ""}},
    {"completion_check", {"error", "error", "error", "error", "warning", "note"}},
    {"schema_validation", {"error", "error", "error", "error", "warning", "note"}},
    {"circuit_breaker", {"error", "error", "warning", "note", "note", ""}},
    {"retry_safety", {"error", "error", "error", "warning", "warning", "note"}},
    {"tracing", {"error", "error", "warning", "note", "note", ""}},
    {"timeout", {"error", "error", "warning", "warning", "note", ""}},
    {"degradation", {"warning", "warning", "note", "", "", ""}},
    {"human_review", {"", "error", "", "", "", ""}},
    {"provider_concentration", {"error", "error", "warning", "note", "note", ""}},
};

std::string level_for(const std::string& check, const std::string& tier) {
  auto t = std::find(kTiers.begin(), kTiers.end(), tier);
  REQUIRE_MESSAGE(t != kTiers.end(), "unknown tier " << tier);
  return kLevels.at(check)[static_cast<size_t>(t - kTiers.begin())];
}

// Every failing check of every site has exactly the finding the tier table asks for, and passing
// or n/a checks have none.
void check_levels(const json& report) {
  for (const auto& s : report["call_sites"]) {
    std::string tier = s.value("tier", "");
    for (const auto& [check, verdict] : s["checks"].items()) {
      INFO("site " << s.value("file", "") << ":" << s.value("line", 0) << " tier " << tier << " check " << check << " "
                   << verdict.value("status", ""));
      auto found = findings_for(report, s, check);
      std::string want = verdict.value("status", "") == "fail" ? level_for(check, tier) : "";
      if (want.empty()) {
        CHECK(found.empty());
      } else {
        REQUIRE(found.size() == 1);
        CHECK((*found[0])["level"] == want);
        CHECK((*found[0])["file"] == s["file"]);
        CHECK((*found[0])["line"] == s["line"]);
      }
    }
  }
}

const json* project_finding(const json& report, const std::string& rule) {
  for (const auto& f : report["findings"])
    if (f.value("rule", "") == rule) return &f;
  return nullptr;
}

const std::map<std::string, int> kDefaultWeights = {
    {"fallback", 25}, {"completion_check", 20}, {"schema_validation", 15}, {"retry_safety", 10}, {"circuit_breaker", 10},
    {"tracing", 10},  {"timeout", 10},          {"degradation", 5},        {"human_review", 0}};

// 100 × passing weight / applicable weight, rounded half away from zero.
int expected_score(const json& site, const std::map<std::string, int>& weights) {
  int total = 0, passed = 0;
  for (const auto& [check, verdict] : site["checks"].items()) {
    std::string status = verdict.value("status", "");
    if (status == "n/a") continue;
    auto w = weights.find(check);
    int weight = w == weights.end() ? 0 : w->second;
    total += weight;
    if (status == "pass") passed += weight;
  }
  REQUIRE(total > 0);
  return static_cast<int>(std::lround(100.0 * passed / total));
}

void check_arithmetic(const json& report, const std::map<std::string, int>& weights) {
  REQUIRE(report.contains("call_sites"));
  double sum = 0;
  int n = 0;
  for (const auto& s : report["call_sites"]) {
    INFO("site " << s.value("file", "") << ":" << s.value("line", 0));
    int want = expected_score(s, weights);
    CHECK(s["score"] == want);
    if (s["kind"] == "request" || s["kind"] == "binding") {
      sum += s["score"].get<int>();
      ++n;
    }
  }
  REQUIRE(n > 0);
  CHECK(report["summary"]["score"] == static_cast<int>(std::lround(sum / n)));
}

std::regex position_of(const std::string& file) {
  return std::regex(std::regex_replace(file, std::regex(R"([.^$|()\[\]{}*+?\\])"), R"(\$&)") + R"(:(\d+):(\d+))");
}

}  // namespace

TEST_SUITE("config") {

// ---- tiers from .gapmap.json ------------------------------------------------------------------

TEST_CASE("config: .gapmap.json tier globs (with // and /* */ comments) set each site's tier") {
  const json& r = scan(fixture("config/tiers_glob"));
  REQUIRE(r.contains("call_sites"));
  CHECK(r["call_sites"].size() == 6);
  const std::map<std::string, std::string> want = {
      {"payments/extract.py", "critical"},       {"claims/extract.py", "regulated"}, {"app/extract.py", "standard"},
      {"tools/review_bot/extract.py", "internal"}, {"scripts/extract.py", "batch"},  {"notebooks/extract.py", "prototype"}};
  for (const auto& [file, tier] : want) {
    INFO(file);
    const json* s = site_at(r, file, 13);
    REQUIRE(s != nullptr);
    CHECK((*s)["tier"] == tier);
  }
}

TEST_CASE("config: tier globs match in the order the file lists them, in both forms") {
  // A JSON object read into a sorted map would try "src/**" before "src/pay/**" and demote the
  // payment path to batch.
  constexpr const char* kCall =
      "import openai\n"
      "client = openai.OpenAI()\n"
      "def charge():\n"
      "    return client.chat.completions.create(model='gpt-4o', messages=[])\n";
  for (const char* config : {R"({"tiers": {"src/pay/**": "critical", "src/**": "batch"}})",
                             R"({"tiers": [{"path": "src/pay/**", "tier": "critical"}, {"path": "src/**", "tier": "batch"}]})"}) {
    CAPTURE(config);
    gapmap::test::TempDir d;
    d.write(".gapmap.json", config);
    d.write("src/pay/charge.py", kCall);
    d.write("src/jobs/report.py", kCall);
    auto scanned = gapmap::test::scan_json(d.path());
    REQUIRE(scanned.has_value());
    const json& r = *scanned;
    REQUIRE(r.contains("call_sites"));
    const json* pay = site_at(r, "src/pay/charge.py", 4);
    const json* job = site_at(r, "src/jobs/report.py", 4);
    REQUIRE(pay != nullptr);
    REQUIRE(job != nullptr);
    CHECK((*pay)["tier"] == "critical");
    CHECK((*job)["tier"] == "batch");
  }
}

TEST_CASE("config: finding levels per tier follow the SPEC §4 table for every failing check") {
  const json& r = scan(fixture("config/tiers_glob"));
  REQUIRE(r.contains("findings"));
  // The fixture fails every site check (no fallback, unvalidated json.loads, @retry without stop, ...).
  for (const auto& s : r["call_sites"])
    for (const char* check : {"fallback", "completion_check", "schema_validation", "circuit_breaker", "retry_safety",
                              "tracing", "timeout", "degradation"})
      CHECK_MESSAGE(s["checks"][check]["status"] == "fail", s["file"].get<std::string>() << " " << check);
  check_levels(r);

  // The examples the issue names.
  auto level_of = [&](const std::string& file, const std::string& check) -> std::string {
    const json* s = site_at(r, file, 13);
    REQUIRE(s != nullptr);
    auto f = findings_for(r, *s, check);
    return f.empty() ? std::string("absent") : (*f[0])["level"].get<std::string>();
  };
  CHECK(level_of("payments/extract.py", "fallback") == "error");
  CHECK(level_of("app/extract.py", "fallback") == "warning");
  CHECK(level_of("notebooks/extract.py", "fallback") == "absent");
  CHECK(level_of("notebooks/extract.py", "completion_check") == "note");
  CHECK(level_of("scripts/extract.py", "retry_safety") == "warning");
  CHECK(level_of("tools/review_bot/extract.py", "schema_validation") == "error");
  CHECK(level_of("claims/extract.py", "human_review") == "error");
  CHECK(level_of("payments/extract.py", "human_review") == "absent");
  CHECK(level_of("payments/extract.py", "degradation") == "warning");
  CHECK(level_of("app/extract.py", "degradation") == "note");
  CHECK(level_of("tools/review_bot/extract.py", "degradation") == "absent");
}

TEST_CASE("config: provider_concentration takes the highest tier's level and points at the first generation site") {
  const json& r = scan(fixture("config/tiers_glob"));
  const json* f = project_finding(r, "GAP009");
  REQUIRE(f != nullptr);
  CHECK((*f)["level"] == "error");  // critical and regulated sites are present
  CHECK((*f)["file"] == r["call_sites"][0]["file"]);
  CHECK((*f)["line"] == r["call_sites"][0]["line"]);

  // A batch-only project: note. A prototype-only project: no finding at all.
  const json& batch = scan(fixture("python/fallback_none"), {"--tier", "batch"});
  const json* fb = project_finding(batch, "GAP009");
  REQUIRE(fb != nullptr);
  CHECK((*fb)["level"] == "note");
  const json& proto = scan(fixture("python/fallback_none"), {"--tier", "prototype"});
  CHECK(project_finding(proto, "GAP009") == nullptr);
}

// ---- inline tier comments ---------------------------------------------------------------------

TEST_CASE("config: an inline `# gapmap: tier=critical` on a function overrides the default and the config glob") {
  const json& r = scan(fixture("config/inline_tier"));
  REQUIRE(r.contains("call_sites"));
  const json* confirm = site_in_function(r, "checkout.py", "confirm_order");
  const json* addons = site_in_function(r, "checkout.py", "suggest_addons");
  const json* backfill = site_in_function(r, "scripts/backfill.py", "backfill_titles");
  const json* refund = site_in_function(r, "scripts/backfill.py", "refund_reason");
  REQUIRE(confirm != nullptr);
  REQUIRE(addons != nullptr);
  REQUIRE(backfill != nullptr);
  REQUIRE(refund != nullptr);
  CHECK((*confirm)["tier"] == "critical");  // comment on the line above the def
  CHECK((*addons)["tier"] == "standard");   // the default
  CHECK((*backfill)["tier"] == "batch");    // scripts/** in .gapmap.json
  CHECK((*refund)["tier"] == "critical");   // comment inside the function beats the glob
  // Levels follow the overridden tier.
  REQUIRE(findings_for(r, *confirm, "fallback").size() == 1);
  CHECK((*findings_for(r, *confirm, "fallback")[0])["level"] == "error");
  REQUIRE(findings_for(r, *addons, "fallback").size() == 1);
  CHECK((*findings_for(r, *addons, "fallback")[0])["level"] == "warning");
  REQUIRE(findings_for(r, *backfill, "fallback").size() == 1);
  CHECK((*findings_for(r, *backfill, "fallback")[0])["level"] == "note");
  check_levels(r);
}

TEST_CASE("config: an inline `// gapmap: tier=critical` above a TypeScript function") {
  const json& r = scan(fixture("config/inline_tier_ts"));
  const json* confirm = site_in_function(r, "src/checkout.ts", "confirmOrder");
  const json* addons = site_in_function(r, "src/checkout.ts", "suggestAddons");
  REQUIRE(confirm != nullptr);
  REQUIRE(addons != nullptr);
  CHECK((*confirm)["tier"] == "critical");
  CHECK((*addons)["tier"] == "standard");
  check_levels(r);
}

// ---- --tier -----------------------------------------------------------------------------------

TEST_CASE("config: --tier batch sets the tier of every site without a glob or inline tier") {
  const json& r = scan(fixture("python/fallback_none"), {"--tier", "batch"});
  REQUIRE(r.contains("call_sites"));
  REQUIRE(r["call_sites"].size() == 1);
  const json& s = r["call_sites"][0];
  CHECK(s["tier"] == "batch");
  REQUIRE(findings_for(r, s, "fallback").size() == 1);
  CHECK((*findings_for(r, s, "fallback")[0])["level"] == "note");
  REQUIRE(findings_for(r, s, "completion_check").size() == 1);
  CHECK((*findings_for(r, s, "completion_check")[0])["level"] == "warning");
  CHECK(findings_for(r, s, "degradation").empty());
  check_levels(r);

  const json& inl = scan(fixture("config/inline_tier"), {"--tier", "batch"});
  const json* addons = site_in_function(inl, "checkout.py", "suggest_addons");
  REQUIRE(addons != nullptr);
  CHECK((*addons)["tier"] == "batch");
  check_levels(inl);
}

TEST_CASE("config: --tier with an unknown tier is a usage error (exit 2)") {
  Run r = run_gapmap({"scan", fixture("python/fallback_none").string(), "--format", "json", "--tier", "gold"});
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("gold") != std::string::npos);
}

// ---- malformed configuration ------------------------------------------------------------------

TEST_CASE("config: a .gapmap.json with a JSON syntax error exits 2 naming file:line:column") {
  TempDir d;
  d.write("app.py", "from openai import OpenAI\nclient = OpenAI()\nclient.chat.completions.create(model=\"gpt-4o\", messages=[])\n");
  d.write(".gapmap.json",
          "{\n"
          "  \"default_tier\": \"standard\"\n"  // missing comma
          "  \"tiers\": {}\n"
          "}\n");
  Run r = run_gapmap({"scan", d.path().string(), "--format", "json"});
  INFO("stderr: " << r.err);
  CHECK(r.exit_code == 2);
  std::smatch m;
  REQUIRE(std::regex_search(r.err, m, position_of(".gapmap.json")));
  CHECK(std::stoi(m[1]) == 3);  // the unexpected "tiers" key
  CHECK(std::stoi(m[2]) >= 3);
  CHECK(std::stoi(m[2]) <= 9);
  CHECK(r.out.find("call_sites") == std::string::npos);
}

TEST_CASE("config: a tier that is not one of the six exits 2 at the glob's line") {
  TempDir d;
  d.write("src/app.py", "from openai import OpenAI\nclient = OpenAI()\nclient.chat.completions.create(model=\"gpt-4o\", messages=[])\n");
  d.write(".gapmap.json",
          "{\n"
          "  // payments first\n"
          "  \"tiers\": {\n"
          "    \"src/**\": \"mission-critical\"\n"
          "  }\n"
          "}\n");
  Run r = run_gapmap({"scan", d.path().string(), "--format", "json"});
  INFO("stderr: " << r.err);
  CHECK(r.exit_code == 2);
  std::smatch m;
  REQUIRE(std::regex_search(r.err, m, position_of(".gapmap.json")));
  CHECK(std::stoi(m[1]) == 4);
  CHECK(r.err.find("src/**") != std::string::npos);
}

TEST_CASE("config: an unknown check in weights exits 2 at its line") {
  TempDir d;
  d.write("app.py", "from openai import OpenAI\nclient = OpenAI()\nclient.chat.completions.create(model=\"gpt-4o\", messages=[])\n");
  d.write(".gapmap.json",
          "{\n"
          "  \"weights\": {\n"
          "    \"fallback\": 30,\n"
          "    \"falback\": 5\n"
          "  }\n"
          "}\n");
  Run r = run_gapmap({"scan", d.path().string(), "--format", "json"});
  INFO("stderr: " << r.err);
  CHECK(r.exit_code == 2);
  std::smatch m;
  REQUIRE(std::regex_search(r.err, m, position_of(".gapmap.json")));
  CHECK(std::stoi(m[1]) == 4);
  CHECK(r.err.find("falback") != std::string::npos);
}

TEST_CASE("config: --config FILE that is malformed exits 2 naming that file") {
  TempDir d;
  d.write("app.py", "from openai import OpenAI\nclient = OpenAI()\nclient.chat.completions.create(model=\"gpt-4o\", messages=[])\n");
  fs::path cfg = d.write("ci/gapmap-strict.json", "{\n  \"default_tier\": \"critical\",\n  \"tiers\": [\"src/**\"]\n}\n");
  Run r = run_gapmap({"scan", d.path().string(), "--format", "json", "--config", cfg.string()});
  INFO("stderr: " << r.err);
  CHECK(r.exit_code == 2);
  std::smatch m;
  REQUIRE(std::regex_search(r.err, m, position_of("gapmap-strict.json")));
  CHECK(std::stoi(m[1]) == 3);
}

// ---- weights and score ------------------------------------------------------------------------

TEST_CASE("config: score arithmetic — 100 × passing weights / applicable weights; project score the mean") {
  const json& r = scan(fixture("config/score_project"));
  REQUIRE(r.contains("call_sites"));
  REQUIRE(r["call_sites"].size() == 2);
  const json* claude = site_at(r, "service.py", 19);
  const json* gpt = site_at(r, "service.py", 28);
  REQUIRE(claude != nullptr);
  REQUIRE(gpt != nullptr);
  // Claude: applicable 25+20+10+10+10+10+5 = 90 (schema n/a); passing all but the breaker: 80 -> 88.9 -> 89.
  CHECK((*claude)["score"] == 89);
  // GPT: passing retry_safety and tracing (inside the span): 20 / 90 -> 22.
  CHECK((*gpt)["score"] == 22);
  CHECK(r["summary"]["score"] == 56);  // (88.9 + 22.2) / 2
  check_arithmetic(r, kDefaultWeights);
}

TEST_CASE("config: the score arithmetic holds whatever the tier (levels do not change scores)") {
  // Every check fixture verifies it for its own sites (tests/test_checks_*.cpp); here the tiered projects.
  check_arithmetic(scan(fixture("config/tiers_glob")), kDefaultWeights);
  check_arithmetic(scan(fixture("config/inline_tier")), kDefaultWeights);
  check_arithmetic(scan(fixture("config/inline_tier"), {"--tier", "batch"}), kDefaultWeights);
  // The same code in the critical and the prototype tier scores the same.
  const json& r = scan(fixture("config/tiers_glob"));
  const json* critical = site_at(r, "payments/extract.py", 13);
  const json* prototype = site_at(r, "notebooks/extract.py", 13);
  REQUIRE(critical != nullptr);
  REQUIRE(prototype != nullptr);
  CHECK((*critical)["score"] == (*prototype)["score"]);
}

TEST_CASE("config: a weights override (--config) changes site and project scores") {
  const json& r = scan(fixture("config/score_project"), {"--config", fixture("config/weights.gapmap.json").string()});
  REQUIRE(r.contains("call_sites"));
  const json* claude = site_at(r, "service.py", 19);
  const json* gpt = site_at(r, "service.py", 28);
  REQUIRE(claude != nullptr);
  REQUIRE(gpt != nullptr);
  // Only fallback (50) and tracing (50) weigh: Claude passes both, GPT only tracing.
  CHECK((*claude)["score"] == 100);
  CHECK((*gpt)["score"] == 50);
  CHECK(r["summary"]["score"] == 75);
  check_arithmetic(r, {{"fallback", 50}, {"tracing", 50}});
  // The verdicts themselves do not depend on weights.
  const json& plain = scan(fixture("config/score_project"));
  for (size_t i = 0; i < plain["call_sites"].size(); ++i)
    CHECK(plain["call_sites"][i]["checks"] == r["call_sites"][i]["checks"]);
}

TEST_CASE("config: weights in a .gapmap.json found upward from the scanned path apply") {
  TempDir d;
  fs::create_directories(d.path() / "svc");
  fs::copy_file(fixture("config/score_project/service.py"), d.path() / "svc" / "service.py");
  fs::copy_file(fixture("config/weights.gapmap.json"), d.path() / ".gapmap.json");
  // Scanning the subdirectory: the configuration one level up is found.
  const json& r = scan(d.path() / "svc");
  REQUIRE(r.contains("summary"));
  CHECK(r["summary"]["score"] == 75);
}

// Fixed, kept as a regression test: tier globs are matched against paths relative to the *scanned* path,
// not to the directory of the .gapmap.json that was found upward. Scanning
// tests/fixtures/checks/config/tiers_glob/payments finds tiers_glob/.gapmap.json ("payments/**":
// "critical") but the site's path is "extract.py", so it is judged "standard". Ruff, ESLint and
// .gitignore resolve patterns relative to the configuration file.
TEST_CASE("config: scanning a subdirectory keeps the tiers of the .gapmap.json found upward") {
  const json& r = scan(fixture("config/tiers_glob/payments"));
  REQUIRE(r.contains("call_sites"));
  REQUIRE(r["call_sites"].size() == 1);
  CHECK(r["call_sites"][0]["tier"] == "critical");
}

}  // TEST_SUITE
