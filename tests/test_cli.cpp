// The command line as a user meets it (SPEC §5): exit codes, messages, help, output files.
#include <doctest/doctest.h>

#include <csignal>
#include <filesystem>
#include <string>

#include "support/run_gapmap.h"

using gapmap::test::RunOptions;
using gapmap::test::RunResult;
using gapmap::test::run_gapmap;
using gapmap::test::TempDir;

namespace {

bool contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

constexpr const char* kPy =
    "import openai\n"
    "client = openai.OpenAI()\n"
    "r = client.chat.completions.create(model=\"gpt-4o\", messages=[])\n";

}  // namespace

TEST_SUITE("cli") {

TEST_CASE("cli: scanning a path that does not exist exits 2 and names the path") {
  TempDir d;
  std::string missing = (d / "no" / "such" / "dir").string();
  d.write("ok.py", kPy);
  // The second run: one bad path among good ones is still a usage error.
  auto runs = gapmap::test::run_gapmap_parallel(
      {{"scan", missing}, {"scan", (d / "ok.py").string(), missing, "--format", "json"}});
  const RunResult& r = runs[0];
  INFO(r.describe());
  CHECK(r.exit_code == 2);
  CHECK(contains(r.err, missing));
  CHECK(r.out.empty());

  const RunResult& mixed = runs[1];
  INFO(mixed.describe());
  CHECK(mixed.exit_code == 2);
  CHECK(contains(mixed.err, missing));
}

TEST_CASE("cli: an unknown flag exits 2 with the flag and a hint") {
  TempDir d;
  RunResult r = run_gapmap({"scan", d.path().string(), "--frobnicate"});
  INFO(r.describe());
  CHECK(r.exit_code == 2);
  CHECK(contains(r.err, "--frobnicate"));
  CHECK(contains(r.err, "--help"));
  CHECK(r.out.empty());
}

TEST_CASE("cli: invalid option values exit 2") {
  TempDir d;
  const std::vector<std::vector<std::string>> cases{{"--format", "bogus"}, {"--fail-on", "sometimes"},
                                                    {"--jobs", "many"},    {"--color", "purple"},
                                                    {"--tier", "gold"},    {"--max-file-size", "big"}};
  std::vector<std::vector<std::string>> runs;
  for (const auto& args : cases) {
    std::vector<std::string> argv{"scan", d.path().string()};
    argv.insert(argv.end(), args.begin(), args.end());
    runs.push_back(argv);
  }
  auto results = gapmap::test::run_gapmap_parallel(runs);
  for (size_t i = 0; i < cases.size(); ++i) {
    const RunResult& r = results[i];
    CAPTURE(cases[i][0]);
    INFO(r.describe());
    CHECK(r.exit_code == 2);
    CHECK(contains(r.err, cases[i][1]));
    CHECK(r.out.empty());
  }
}

TEST_CASE("cli: a negative --max-file-size is rejected, not wrapped to a huge limit") {
  // Fixed, kept as a regression test: `--max-file-size -5` is accepted (exit 0): the value wraps around in the unsigned option.
  TempDir d;
  RunResult r = run_gapmap({"scan", d.path().string(), "--max-file-size", "-5"});
  INFO(r.describe());
  CHECK(r.exit_code == 2);
}

TEST_CASE("cli: no subcommand prints the help (exit 2); --help and --version exit 0; a typo gets a suggestion") {
  auto runs = gapmap::test::run_gapmap_parallel({{}, {"--help"}, {"scan", "--help"}, {"--version"}, {"scna", "."},
                                                 {"frobnicate"}});
  const RunResult& none = runs[0];
  CHECK(none.exit_code == 2);
  CHECK(contains(none.out, "Usage"));
  CHECK(contains(none.out, "explain"));

  const RunResult& typo = runs[4];
  INFO(typo.describe());
  CHECK(typo.exit_code == 2);
  CHECK(contains(typo.err, "unknown command 'scna'; did you mean 'scan'?"));
  const RunResult& unknown = runs[5];
  CHECK(unknown.exit_code == 2);
  CHECK(contains(unknown.err, "unknown command 'frobnicate'."));

  const RunResult& help = runs[1];
  INFO(help.describe());
  CHECK(help.exit_code == 0);
  CHECK(contains(help.out, "Usage"));
  CHECK(contains(help.out, "scan"));

  const RunResult& scan_help = runs[2];
  INFO(scan_help.describe());
  CHECK(scan_help.exit_code == 0);
  for (const char* opt : {"--format", "--include", "--exclude", "--no-ignore", "--max-file-size", "--jobs",
                          "--fail-on", "--output"})
    CHECK_MESSAGE(contains(scan_help.out, opt), "scan --help does not mention " << opt);

  const RunResult& version = runs[3];
  CHECK(version.exit_code == 0);
  CHECK(contains(version.out, "gapmap"));
}

TEST_CASE("cli: scanning an empty directory exits 0 and says there are no call sites") {
  TempDir d;
  auto runs = gapmap::test::run_gapmap_parallel({{"scan", d.path().string()},
                                                 {"scan", d.path().string(), "--format", "json"}});
  const RunResult& table = runs[0];
  INFO(table.describe());
  CHECK(table.exit_code == 0);
  CHECK(contains(table.out, "No LLM call sites"));

  const RunResult& json = runs[1];
  CHECK(json.exit_code == 0);
  auto report = nlohmann::json::parse(json.out, nullptr, false);
  REQUIRE_FALSE(report.is_discarded());
  CHECK(report["schema"] == "gapmap/report@1");
  CHECK(report["call_sites"].empty());
  CHECK(report["summary"]["files_scanned"] == 0);
  CHECK(report["errors"].empty());
}

TEST_CASE("cli: scanning the working directory by default") {
  TempDir d;
  d.write("app/main.py", kPy);
  RunResult r = run_gapmap({"scan", "--format", "json", "--fail-on", "never"},
                           RunOptions{.cwd = d.path(), .timeout = std::chrono::seconds(20)});
  INFO(r.describe());
  REQUIRE(r.exit_code == 0);
  auto report = nlohmann::json::parse(r.out, nullptr, false);
  REQUIRE_FALSE(report.is_discarded());
  REQUIRE(report["call_sites"].size() == 1);
  CHECK(report["call_sites"][0]["file"] == "app/main.py");
}

TEST_CASE("cli: --output and --json write the report to files; stdout stays clean") {
  TempDir d;
  d.write("src/main.py", kPy);
  std::string out = (d / "report.json").string();
  std::string json_copy = (d / "copy.json").string();
  RunResult r = run_gapmap({"scan", (d / "src").string(), "--format", "json", "--output", out, "--json", json_copy,
                            "--fail-on", "never"});
  INFO(r.describe());
  CHECK(r.exit_code == 0);
  CHECK(r.out.empty());
  auto report = nlohmann::json::parse(gapmap::test::read_file(out), nullptr, false);
  REQUIRE_FALSE(report.is_discarded());
  CHECK(report["call_sites"].size() == 1);
  CHECK(gapmap::test::read_file(out) == gapmap::test::read_file(json_copy));

  // An output path in a directory that does not exist is an I/O error (exit 2) naming it.
  std::string bad = (d / "missing-dir" / "r.json").string();
  RunResult fail = run_gapmap({"scan", (d / "src").string(), "--format", "json", "--output", bad});
  INFO(fail.describe());
  CHECK(fail.exit_code == 2);
  CHECK(contains(fail.err, "missing-dir"));
}

TEST_CASE("cli: the table is plain without a terminal or with NO_COLOR, coloured with --color always") {
  TempDir d;
  d.write("main.py", kPy);
  // The second run: an explicit --color always wins over NO_COLOR (which the test runner sets).
  auto runs = gapmap::test::run_gapmap_parallel(
      {{"scan", d.path().string(), "--fail-on", "never"},
       {"scan", d.path().string(), "--fail-on", "never", "--color", "always"}});
  const RunResult& plain = runs[0];
  CHECK(plain.exit_code == 0);
  CHECK(contains(plain.out, "main.py"));
  CHECK_FALSE(contains(plain.out, "\x1b["));

  const RunResult& forced = runs[1];
  CHECK(forced.exit_code == 0);
  CHECK(contains(forced.out, "\x1b["));
}

TEST_CASE("cli: progress is not written to stderr when it is not a terminal") {
  TempDir d;
  for (int i = 0; i < 250; ++i) d.write("m" + std::to_string(i) + ".py", "x = 1\n");
  RunResult r = run_gapmap({"scan", d.path().string(), "--format", "json"});
  CHECK(r.exit_code == 0);
  CHECK(r.err.empty());
}

}  // TEST_SUITE

// The runner every end-to-end test relies on: if its timeout or capture broke, hang and crash
// tests would pass or fail for the wrong reason.
TEST_SUITE("cli") {

TEST_CASE("cli support: run_process captures stdout, stderr, exit code, cwd, env and stdin") {
  TempDir d;
  RunResult r = gapmap::test::run_process(
      "/bin/sh", {"-c", "echo out; echo err >&2; pwd; echo \"$GAPMAP_TEST_VAR\"; cat; exit 3"},
      RunOptions{.cwd = d.path(), .env = {{"GAPMAP_TEST_VAR", "v1"}}, .stdin_data = "from-stdin\n"});
  INFO(r.describe());
  CHECK(r.exit_code == 3);
  CHECK(r.signal == 0);
  CHECK_FALSE(r.timed_out);
  CHECK(r.err == "err\n");
  CHECK(r.out == "out\n" + std::filesystem::canonical(d.path()).string() + "\nv1\nfrom-stdin\n");
}

TEST_CASE("cli support: run_process kills a child that outlives its timeout") {
  auto start = std::chrono::steady_clock::now();
  RunResult r = gapmap::test::run_process("/bin/sh", {"-c", "sleep 30"},
                                          RunOptions{.timeout = std::chrono::milliseconds(100)});
  auto took = std::chrono::steady_clock::now() - start;
  CHECK(r.timed_out);
  CHECK(r.exit_code == -1);
  CHECK(r.signal == SIGKILL);
  CHECK(took < std::chrono::seconds(5));

  // Also when the child closes its output first and then hangs.
  RunResult quiet = gapmap::test::run_process("/bin/sh", {"-c", "exec >/dev/null 2>&1; sleep 30"},
                                              RunOptions{.timeout = std::chrono::milliseconds(100)});
  CHECK(quiet.timed_out);
  CHECK(quiet.signal == SIGKILL);
}

TEST_CASE("cli support: run_process reports a child killed by a signal") {
  RunResult r = gapmap::test::run_process("/bin/sh", {"-c", "kill -SEGV $$"});
  CHECK(r.signal == SIGSEGV);
  CHECK(r.exit_code == -1);
  CHECK_FALSE(r.timed_out);
}

}  // TEST_SUITE
