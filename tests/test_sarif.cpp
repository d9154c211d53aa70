// SARIF 2.1.0 output: line-hash test vectors, the golden log, GitHub's limits, and validity
// against the OASIS schema and GitHub's ingestion rules (shared/sarif/validate-sarif, if present).
#include <doctest/doctest.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "golden/sample_report.h"
#include "pipeline/scan.h"
#include "report/line_hash.h"
#include "report/sarif_report.h"
#include "rules/check_docs.h"

namespace {

namespace fs = std::filesystem;
using gapmap::report::line_hashes;
using nlohmann::json;

std::string repeat(std::string_view s, int n) {
  std::string out;
  for (int i = 0; i < n; ++i) out += s;
  return out;
}

gapmap::report::SarifOptions golden_options() {
  gapmap::report::SarifOptions o;
  o.source_root = gapmap::testing::golden_dir() / "src";
  o.checks = gapmap::rules::load_check_docs(gapmap::rules::RuleFiles::embedded());
  o.baseline_used = true;
  return o;
}

class TempDir {
 public:
  TempDir() {
    std::string templ = (fs::temp_directory_path() / "gapmap-sarif-XXXXXX").string();
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

void write(const fs::path& p, std::string_view text) {
  fs::create_directories(p.parent_path());
  std::ofstream(p, std::ios::binary) << text;
}

gapmap::Report one_finding(const std::string& file, uint32_t line) {
  gapmap::Report r;
  r.tool_version = "0.1.0";
  gapmap::Finding f;
  f.rule = "GAP007";
  f.check = "timeout";
  f.level = gapmap::Level::Warning;
  f.file = file;
  f.line = line;
  f.column = 1;
  f.message = "no timeout";
  r.findings.push_back(f);
  return r;
}

}  // namespace

TEST_CASE("sarif line hash: FINGERPRINTS.md test vectors") {
  CHECK(line_hashes("") == std::vector<std::string>{"c129715d7a2bc9a3:1"});
  CHECK(line_hashes(" a\nb\n  \t\tc\n d") ==
        std::vector<std::string>{"271789c17abda88f:1", "54703d4cd895b18:1", "180aee12dab6264:1", "a23a3dc5e078b07b:1"});
  CHECK(line_hashes(" hello; \t\r\nworld!!!\r\n\r\n\r\n  \t\tGreetings\r\n End\r\n") ==
        std::vector<std::string>{"e9496ae3ebfced30:1", "fb7c023a8b9ccb3f:1", "ce8ba1a563dcdaca:1", "e20e36e16fcb0cc8:1",
                                 "b3edc88f2938467e:1", "c8e28b0b4002a3a0:1", "c129715d7a2bc9a3:1"});
  auto lorem = line_hashes(repeat("Lorem ipsum dolor sit amet.\n", 10));
  REQUIRE(lorem.size() == 11);
  CHECK(lorem[0] == "a7f2ff13bc495cf2:1");
  CHECK(lorem[1] == "a7f2ff13bc495cf2:2");
  CHECK(lorem[6] == "a7f2ff1481e87703:1");
  CHECK(lorem[10] == "c129715d7a2bc9a3:1");
  auto prints = line_hashes("x = 2\nx = 1\nprint(x)\nx = 3\nprint(x)\nx = 4\nprint(x)\n");
  REQUIRE(prints.size() == 8);
  CHECK(prints[6] == "f1b89f20de0d133:1");
}

TEST_CASE("sarif line hash: whitespace and line endings do not matter, content does") {
  CHECK(line_hashes("a = 1\nb = 2\n") == line_hashes("a=1\r\nb  =\t2\r\n"));
  CHECK(line_hashes("a = 1\nb = 2\n") != line_hashes("a = 1\nb = 3\n"));
  // Moving code down keeps its hash: the hash of a line depends only on what follows it.
  auto before = line_hashes("def f():\n    return call()\n");
  auto after = line_hashes("import os\n\ndef f():\n    return call()\n");
  CHECK(before[0] == after[2]);
}

TEST_CASE("sarif line hash: non-ASCII and invalid UTF-8 are hashed as Node decodes them") {
  // U+1F600 is two UTF-16 units; a lone 0xFF byte is one U+FFFD. Neither may crash or desync lines.
  auto emoji = line_hashes("s = \"\xF0\x9F\x98\x80\"\nt = 1\n");
  auto invalid = line_hashes("s = \"\xFF\"\nt = 1\n");
  REQUIRE(emoji.size() == 3);
  REQUIRE(invalid.size() == 3);
  CHECK(emoji[2] == "c129715d7a2bc9a3:1");
  CHECK(emoji[1] == invalid[1]);
  CHECK(emoji[0] != invalid[0]);
  // A truncated sequence at the end of the text is one replacement character.
  CHECK(line_hashes("a\xE2\x82") == line_hashes("a\xEF\xBF\xBD"));
}

TEST_CASE("sarif golden: the sample report") {
  auto o = golden_options();
  std::string sarif = gapmap::report::render_sarif(gapmap::testing::sample_report(), o);
  gapmap::testing::check_golden("sample.sarif", sarif);
  // Deterministic bytes.
  CHECK(sarif == gapmap::report::render_sarif(gapmap::testing::sample_report(), o));
}

TEST_CASE("sarif structure: rules, results, fingerprints, suppressions, baseline") {
  auto report = gapmap::testing::sample_report();
  auto o = golden_options();
  json log = json::parse(gapmap::report::render_sarif(report, o));
  CHECK(log["$schema"] == "https://json.schemastore.org/sarif-2.1.0.json");
  CHECK(log["version"] == "2.1.0");
  REQUIRE(log["runs"].size() == 1);
  const json& run = log["runs"][0];
  CHECK(run["columnKind"] == "unicodeCodePoints");
  CHECK(run["automationDetails"]["id"] == "gapmap/");
  CHECK(run["originalUriBaseIds"].contains("%SRCROOT%"));
  const json& driver = run["tool"]["driver"];
  CHECK(driver["name"] == "gapmap");
  CHECK(driver["semanticVersion"] == "0.1.0");
  REQUIRE(driver["rules"].size() == 10);
  for (const auto& rule : driver["rules"]) {
    CHECK(rule["fullDescription"]["text"].get<std::string>().size() <= 1024);
    CHECK(rule["properties"]["tags"].size() <= 10);
    CHECK_FALSE(rule["properties"].contains("security-severity"));
    CHECK(rule["helpUri"].get<std::string>().ends_with(rule["id"].get<std::string>() + ".md"));
    CHECK_FALSE(rule["help"]["markdown"].get<std::string>().empty());
  }
  CHECK(driver["rules"][1]["name"] == "MissingCompletionCheck");
  CHECK(driver["rules"][1]["defaultConfiguration"]["level"] == "error");
  // human_review reports only in the regulated tier, where it is an error.
  CHECK(driver["rules"][9]["defaultConfiguration"]["level"] == "error");

  const json& results = run["results"];
  REQUIRE(results.size() == report.findings.size());
  auto src = gapmap::testing::golden_dir() / "src";
  auto llm_hashes = line_hashes(gapmap::testing::read_text(src / "app/llm.py"));
  for (size_t i = 0; i < results.size(); ++i) {
    const json& res = results[i];
    const auto& f = report.findings[i];
    CHECK(res["ruleId"] == f.rule);
    CHECK(driver["rules"][res["ruleIndex"].get<size_t>()]["id"] == f.rule);
    const json& loc = res["locations"][0]["physicalLocation"];
    CHECK(loc["artifactLocation"]["uriBaseId"] == "%SRCROOT%");
    CHECK(loc["region"]["startLine"] == f.line);
    CHECK(res["partialFingerprints"]["gapmap/v1"] == f.fingerprint);
    if (f.file == "app/llm.py") CHECK(res["partialFingerprints"]["primaryLocationLineHash"] == llm_hashes[f.line - 1]);
    // The notebook is not on disk: no line hash, GitHub computes one on upload.
    if (f.file == "notebooks/explore.ipynb") {
      CHECK_FALSE(res["partialFingerprints"].contains("primaryLocationLineHash"));
      CHECK(res["properties"]["cell"] == 2);
    }
    CHECK(res["baselineState"] == (f.baseline ? "unchanged" : "new"));
    CHECK(res.contains("suppressions") == f.suppressed);
  }
  const json& stream = results[12];  // web/chat.ts GAP002
  CHECK(stream["message"]["text"] ==
        "stream consumed at [web/chat.ts:15](1) without a check for a terminal event (\\[DONE\\] or a final "
        "finish_reason).");
  CHECK(stream["relatedLocations"][0]["id"] == 1);
  CHECK(stream["locations"][0]["physicalLocation"]["region"] ==
        json{{"startLine", 9}, {"startColumn", 26}, {"endLine", 13}, {"endColumn", 7}});
  const json& suppressed = results[6];
  CHECK(suppressed["suppressions"] == json::parse(R"([{"kind":"inSource","justification":"the gateway has its own breaker"}])"));
  const json& notes = run["invocations"][0]["toolExecutionNotifications"];
  REQUIRE(notes.size() == 1);
  CHECK(notes[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "legacy/broken.py");

  o.baseline_used = false;
  json plain = json::parse(gapmap::report::render_sarif(report, o));
  for (const auto& res : plain["runs"][0]["results"]) CHECK_FALSE(res.contains("baselineState"));
}

TEST_CASE("sarif messages: related locations the message does not mention are listed and linked") {
  auto r = one_finding("a.py", 1);
  r.findings[0].related = {{"a.py", 3, "client built here"}, {"b/c.py", 7, "and here"}, {"", 0, "no location"}};
  json log = json::parse(gapmap::report::render_sarif(r, {}));
  const json& res = log["runs"][0]["results"][0];
  CHECK(res["message"]["text"] == "no timeout. Evidence: [a.py:3](1), [b/c.py:7](2).");
  REQUIRE(res["relatedLocations"].size() == 2);
  CHECK(res["relatedLocations"][1]["message"]["text"] == "and here.");
  // Without rule documentation a rule is still described, so ruleIndex resolves.
  CHECK(log["runs"][0]["tool"]["driver"]["rules"][0]["id"] == "GAP007");
}

TEST_CASE("sarif uris: relative, percent-encoded, under %SRCROOT%") {
  auto r = one_finding("dir with space/a#b:c%.py", 2);
  json log = json::parse(gapmap::report::render_sarif(r, {}));
  CHECK(log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] ==
        "dir%20with%20space/a%23b%3Ac%25.py");
  CHECK(gapmap::report::srcroot_uri_for("/tmp/x y") == "file:///tmp/x%20y/");
  gapmap::report::SarifOptions o;
  o.srcroot_uri = "file:///srv/checkout/repo/";
  log = json::parse(gapmap::report::render_sarif(r, o));
  CHECK(log["runs"][0]["originalUriBaseIds"]["%SRCROOT%"]["uri"] == "file:///srv/checkout/repo/");
}

TEST_CASE("sarif limits: past the kept-results limit the least severe results are left out, and said so") {
  auto report = gapmap::testing::sample_report();
  size_t errors = 0;
  for (const auto& f : report.findings) errors += f.level == gapmap::Level::Error;
  REQUIRE(errors >= 1);
  REQUIRE(report.findings.size() > errors);
  gapmap::report::SarifOptions o;
  o.max_kept_results = errors;
  json log = json::parse(gapmap::report::render_sarif(report, o));
  const auto& results = log["runs"][0]["results"];
  CHECK(results.size() == errors);
  for (const auto& r : results) CHECK(r["level"] == "error");
  bool said = false;
  for (const auto& n : log["runs"][0]["invocations"][0]["toolExecutionNotifications"])
    said = said || n["message"]["text"].get<std::string>().find("left out") != std::string::npos;
  CHECK(said);
  // Under the limit nothing is dropped.
  o.max_kept_results = 1000;
  CHECK(json::parse(gapmap::report::render_sarif(report, o))["runs"][0]["results"].size() == report.findings.size());
}

TEST_CASE("sarif limits: too many results or too many bytes is an error, not a rejected upload") {
  auto report = gapmap::testing::sample_report();
  gapmap::report::SarifOptions o;
  o.max_results = 3;
  CHECK_THROWS_AS(gapmap::report::render_sarif(report, o), gapmap::report::SarifLimitError);
  o.max_results = 25'000;
  o.max_gzip_bytes = 500;
  try {
    (void)gapmap::report::render_sarif(report, o);
    FAIL("expected SarifLimitError");
  } catch (const gapmap::report::SarifLimitError& e) {
    CHECK(std::string(e.what()).find("gzipped") != std::string::npos);
  }
}

TEST_CASE("sarif source reading: never leaves the root, never blocks on a FIFO") {
  TempDir tmp;
  write(tmp.path() / "root/in.py", "x = 1\n");
  write(tmp.path() / "outside.py", "secret = 1\n");
  fs::create_symlink(tmp.path() / "outside.py", tmp.path() / "root/link.py");
  REQUIRE(::mkfifo((tmp.path() / "root/pipe.py").c_str(), 0600) == 0);
  gapmap::report::SarifOptions o;
  o.source_root = tmp.path() / "root";
  for (const char* file : {"link.py", "pipe.py", "../outside.py", "missing.py"}) {
    CAPTURE(file);
    json log = json::parse(gapmap::report::render_sarif(one_finding(file, 1), o));
    CHECK_FALSE(log["runs"][0]["results"][0]["partialFingerprints"].contains("primaryLocationLineHash"));
  }
  json log = json::parse(gapmap::report::render_sarif(one_finding("in.py", 1), o));
  CHECK(log["runs"][0]["results"][0]["partialFingerprints"]["primaryLocationLineHash"] == line_hashes("x = 1\n")[0]);
}

TEST_CASE("sarif validity: OASIS schema and GitHub ingestion rules (shared/sarif/validate-sarif)") {
  fs::path validator = fs::path(GAPMAP_SOURCE_DIR).parent_path() / "shared" / "sarif" / "validate-sarif";
  if (!fs::exists(validator)) {
    MESSAGE("skipped: " << validator.string() << " not found");
    return;
  }
  TempDir tmp;
  auto golden = tmp.path() / "sample.sarif";
  write(golden, gapmap::report::render_sarif(gapmap::testing::sample_report(), golden_options()));
  gapmap::Report empty;
  empty.tool_version = "0.1.0";
  auto none = tmp.path() / "empty.sarif";
  write(none, gapmap::report::render_sarif(empty, golden_options()));
  // And a real scan of the samples, whatever detection finds there today.
  gapmap::pipeline::ScanOptions scan_options;
  auto scanned = gapmap::pipeline::scan({std::string(GAPMAP_SOURCE_DIR) + "/samples"}, scan_options,
                                        gapmap::rules::RuleFiles::embedded());
  auto options = golden_options();
  options.source_root = scanned.root;
  options.srcroot_uri = gapmap::report::srcroot_uri_for(scanned.root);
  auto samples = tmp.path() / "samples.sarif";
  std::string samples_sarif = gapmap::report::render_sarif(scanned.report, options);
  CHECK(samples_sarif == gapmap::report::render_sarif(scanned.report, options));
  write(samples, samples_sarif);
  auto log = tmp.path() / "validate.log";
  std::string cmd = "'" + validator.string() + "' '" + golden.string() + "' '" + none.string() + "' '" +
                    samples.string() + "' > '" + log.string() + "' 2>&1";
  int status = std::system(cmd.c_str());
  REQUIRE(status != -1);
  int rc = WIFEXITED(status) ? WEXITSTATUS(status) : 128;
  std::string output = gapmap::testing::read_text(log);
  if (rc == 2) {
    MESSAGE("skipped: the validators could not be set up (npm offline?): " << output);
    return;
  }
  INFO(output);
  CHECK(rc == 0);
}
