// Discovery (SPEC §5, §8) end to end: which files a scan reads. Every tree is built at test time
// in a temporary directory: ignore files committed under tests/fixtures would also steer git
// itself, and FIFOs, links and unreadable files cannot be committed at all.
#include <doctest/doctest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <set>
#include <string>

#include "support/run_gapmap.h"

namespace fs = std::filesystem;
using gapmap::test::RunOptions;
using gapmap::test::run_gapmap;
using gapmap::test::scan_json;
using gapmap::test::TempDir;

namespace {

constexpr const char* kPy =
    "import openai\n"
    "client = openai.OpenAI()\n"
    "client.chat.completions.create(model=\"gpt-4o\", messages=[])\n";
constexpr const char* kJs =
    "import OpenAI from \"openai\";\n"
    "const client = new OpenAI();\n"
    "client.chat.completions.create({ model: \"gpt-4o\", messages: [] });\n";

// Files that produced a call site. Every source file these tests create holds exactly one call,
// so this is the set of files the scan read.
std::set<std::string> files_with_sites(const nlohmann::json& report) {
  std::set<std::string> out;
  for (const auto& s : report["call_sites"]) out.insert(s["file"].get<std::string>());
  return out;
}

std::string listing(const std::set<std::string>& files) {
  std::string out;
  for (const auto& f : files) out += f + " ";
  return out;
}

const RunOptions kShort{.timeout = std::chrono::seconds(20)};

// `gapmap scan PATH --format json --fail-on never EXTRA...` for each EXTRA, in parallel. A run
// that fails or prints no JSON gives an empty object (and a recorded failure).
std::vector<nlohmann::json> scan_many(const fs::path& path, const std::vector<std::vector<std::string>>& extras) {
  std::vector<std::vector<std::string>> runs;
  for (const auto& extra : extras) {
    std::vector<std::string> args{"scan", path.string(), "--format", "json", "--fail-on", "never"};
    args.insert(args.end(), extra.begin(), extra.end());
    runs.push_back(std::move(args));
  }
  auto results = gapmap::test::run_gapmap_parallel(runs, kShort);
  std::vector<nlohmann::json> out;
  for (const auto& r : results) {
    INFO(r.describe());
    CHECK(r.exit_code == 0);
    auto j = nlohmann::json::parse(r.out, nullptr, false);
    CHECK((!j.is_discarded() && j.is_object()));
    out.push_back(j.is_object() ? std::move(j) : nlohmann::json::object({{"call_sites", nlohmann::json::array()},
                                                                          {"errors", nlohmann::json::array()}}));
  }
  return out;
}

}  // namespace

TEST_SUITE("discover") {

TEST_CASE("discover: .gitignore nested, negation, dir-only, anchored; .gapmapignore") {
  TempDir d;
  for (const char* f : {"app/main.py", "app/keep.py", "app/skip.py", "secret.py", "sub/secret.py", "sub/x.py", "x.py",
                        "sub/deeper/tmp/a.py", "tmp/b.py", "logs/c.py", "out/gen.py", "src/out.py", "sub/local.py",
                        "sub/other.py", "notes/draft.py"})
    d.write(f, kPy);
  d.write(".gitignore",
          "# comment line\n"
          "app/*.py\n"
          "!app/keep.py\n"  // negation re-includes
          "/x.py\n"         // anchored: only the root x.py
          "tmp/\n"          // directory-only, at any depth
          "secret.py\n"     // unanchored name: at any depth ...
          "\n");
  d.write("sub/.gitignore",
          "local.py\r\n"      // CRLF ignore files work too
          "!/secret.py\r\n");  // ... but a nested file re-includes its own
  d.write(".gapmapignore", "out/\nnotes\n");

  auto reports = scan_many(d.path(), {{}, {"--no-ignore"}});
  const auto& r = reports[0];
  std::set<std::string> expected{"app/keep.py", "logs/c.py", "src/out.py", "sub/other.py", "sub/secret.py", "sub/x.py"};
  auto got = files_with_sites(r);
  INFO("scanned: " << listing(got));
  CHECK(got == expected);
  CHECK(r["summary"]["files_scanned"] == expected.size());
  CHECK(r["errors"].empty());

  // --no-ignore reads everything the ignore files hid.
  CHECK(files_with_sites(reports[1]).size() == 15);
}

TEST_CASE("discover: a .gitignore pattern cannot re-include a file inside an ignored directory") {
  // git semantics: "It is not possible to re-include a file if a parent directory of that file is excluded."
  TempDir d;
  d.write("gen/a.py", kPy);
  d.write("gen/keep.py", kPy);
  d.write("ok.py", kPy);
  d.write(".gitignore", "gen/\n!gen/keep.py\n");
  auto r = scan_json(d.path(), {}, kShort);
  REQUIRE(r);
  CHECK(files_with_sites(*r) == std::set<std::string>{"ok.py"});
}

TEST_CASE("discover: vendored and generated trees and minified files are skipped by default") {
  TempDir d;
  d.write("src/app.py", kPy);
  d.write("src/app.js", kJs);
  for (const char* f : {"node_modules/openai/index.js", "web/node_modules/x/y.js", ".venv/lib/site.py",
                        "venv/lib/site.py", "vendor/lib.py", "dist/bundle.js", "build/lib/app.py",
                        "static/app.min.js", "__pycache__/mod.py"})
    d.write(f, std::string(f).ends_with(".py") ? kPy : kJs);

  auto reports = scan_many(d.path(), {{}, {"--no-ignore"}});
  auto got = files_with_sites(reports[0]);
  INFO("scanned: " << listing(got));
  CHECK(got == std::set<std::string>{"src/app.js", "src/app.py"});

  auto every = files_with_sites(reports[1]);
  INFO("with --no-ignore: " << listing(every));
  CHECK(every.size() == 11);
  CHECK(every.count("node_modules/openai/index.js") == 1);
  CHECK(every.count("static/app.min.js") == 1);
}

TEST_CASE("discover: minified, bundled and self-declared generated files are skipped by content and counted") {
  TempDir d;
  d.write("src/app.js", kJs);
  // A web app that commits its build output: Next.js chunks, a webpack bundle, a storybook.
  d.write("out/_next/static/chunks/main.js", kJs);
  d.write("storybook-static/main.js", kJs);
  d.write("public/chunk-1.js", std::string("(self.webpackChunk_N_E=self.webpackChunk_N_E||[]).push([[1],{}]);\n") + kJs);
  d.write("public/bundle.js", kJs + std::string("//# sourceMappingURL=bundle.js.map\n"));
  // Minified without any marker: one very long line.
  d.write("public/app.js", std::string(kJs) + "var a=1;" + std::string(4000, ' ') + "var b=2;\n");
  // A generated Python module says so in its header.
  d.write("proto/service_pb2.py", std::string("# Generated by the protocol buffer compiler.  DO NOT EDIT!\n") + kPy);
  // Hand-written code with one long line of data stays in.
  d.write("src/data.py", std::string(kPy) + "TABLE = '" + std::string(5000, 'x') + "'\n");

  auto reports = scan_many(d.path(), {{}, {"--no-ignore"}});
  auto got = files_with_sites(reports[0]);
  INFO("scanned: " << listing(got));
  CHECK(got == std::set<std::string>{"src/app.js", "src/data.py"});
  CHECK(reports[0]["summary"]["generated_files_skipped"] == 4);  // build-output folders are not walked

  auto every = files_with_sites(reports[1]);
  INFO("with --no-ignore: " << listing(every));
  CHECK(every.size() == 8);
  CHECK(reports[1]["summary"]["generated_files_skipped"] == 0);
}

TEST_CASE("discover: --include and --exclude globs (repeatable, name-only or path patterns)") {
  TempDir d;
  for (const char* f : {"api/a.py", "api/b.ts", "api/tests/test_a.py", "worker/c.py", "worker/d.js", "e.py"})
    d.write(f, std::string(f).ends_with(".py") ? kPy : kJs);

  std::vector<std::vector<std::string>> flags{{"--include", "api/**"},
                                              {"--include", "*.py"},
                                              {"--include", "*.ts", "--include", "*.js"},
                                              {"--exclude", "worker", "--exclude", "test_*.py"},
                                              {"--include", "*.py", "--exclude", "api/**"}};
  std::vector<std::set<std::string>> expected{
      {"api/a.py", "api/b.ts", "api/tests/test_a.py"},
      {"api/a.py", "api/tests/test_a.py", "e.py", "worker/c.py"},
      {"api/b.ts", "worker/d.js"},
      {"api/a.py", "api/b.ts", "e.py"},
      {"e.py", "worker/c.py"},
  };
  std::vector<std::vector<std::string>> runs;
  for (const auto& f : flags) {
    std::vector<std::string> args{"scan", d.path().string(), "--format", "json", "--fail-on", "never"};
    args.insert(args.end(), f.begin(), f.end());
    runs.push_back(args);
  }
  auto results = gapmap::test::run_gapmap_parallel(runs, kShort);
  for (size_t i = 0; i < flags.size(); ++i) {
    std::string described;
    for (const auto& f : flags[i]) described += f + " ";
    CAPTURE(described);
    INFO(results[i].describe());
    REQUIRE(results[i].exit_code == 0);
    auto r = nlohmann::json::parse(results[i].out, nullptr, false);
    REQUIRE_FALSE(r.is_discarded());
    CHECK(files_with_sites(r) == expected[i]);
  }
}

TEST_CASE("discover: --max-file-size skips larger files and lists them in errors") {
  TempDir d;
  d.write("small.py", kPy);
  std::string big = kPy;
  big += "# " + std::string(4000, 'x') + "\n";
  d.write("big.py", big);

  auto reports = scan_many(d.path(), {{"--max-file-size", "1000"}, {}});
  const auto& r = reports[0];
  CHECK(files_with_sites(r) == std::set<std::string>{"small.py"});
  CHECK(r["summary"]["files_scanned"] == 1);
  CHECK(gapmap::test::has_error(r, "big.py"));
  CHECK_FALSE(gapmap::test::has_error(r, "small.py"));

  // The default limit (2 MiB) takes both.
  const auto& all = reports[1];
  CHECK(files_with_sites(all) == std::set<std::string>{"big.py", "small.py"});
  CHECK(all["errors"].empty());
}

TEST_CASE("discover: symlinks never lead out of the scan root; loops and broken links end quietly") {
  TempDir d;
  d.write("outside/secret.py", kPy);
  d.write("outside/dir/other.py", kPy);
  d.write("root/in/real.py", kPy);
  fs::path root = d / "root";
  fs::create_symlink("../outside/secret.py", root / "leak.py");           // file out of the root
  fs::create_symlink("../outside", root / "outdir");                      // directory out of the root
  fs::create_symlink(d.path() / "outside" / "secret.py", root / "abs.py");  // absolute link out
  fs::create_directory_symlink(".", root / "loop");                        // self loop
  fs::create_directory_symlink("..", root / "in" / "up");                  // cycle through a parent
  fs::create_symlink("b.py", root / "a.py");                               // a <-> b loop
  fs::create_symlink("a.py", root / "b.py");
  fs::create_symlink("/nonexistent/gapmap/x.py", root / "broken.py");      // broken
  fs::create_symlink("/dev/zero", root / "zero.py");                       // a device, outside

  auto r = scan_json(root, {}, kShort);
  REQUIRE(r);
  auto got = files_with_sites(*r);
  INFO("scanned: " << listing(got));
  CHECK(got.count("in/real.py") == 1);
  for (const auto& f : got) {
    CHECK(f.find("leak") == std::string::npos);
    CHECK(f.find("outdir") == std::string::npos);
    CHECK(f.find("abs") == std::string::npos);
    CHECK(f.find("zero") == std::string::npos);
    CHECK(f.find("secret") == std::string::npos);
  }
  // The loops did not multiply the one real file.
  CHECK(got.size() <= 2);  // in/real.py, and at most one more path for it through a link inside the root
}

TEST_CASE("discover: a FIFO is never opened (the scan does not block on it)") {
  TempDir d;
  d.write("app.py", kPy);
  REQUIRE(::mkfifo((d / "pipe.py").c_str(), 0644) == 0);
  REQUIRE(::mkfifo((d / "pipe.js").c_str(), 0644) == 0);
  fs::create_symlink("pipe.py", d / "to_pipe.py");

  auto r = scan_json(d.path(), {}, kShort);  // a blocked open() would hit the timeout
  REQUIRE(r);
  CHECK(files_with_sites(*r) == std::set<std::string>{"app.py"});

  // Named on the command line, too.
  auto direct = run_gapmap({"scan", (d / "pipe.py").string(), "--format", "json", "--fail-on", "never"}, kShort);
  INFO(direct.describe());
  CHECK_FALSE(direct.timed_out);
  CHECK(direct.signal == 0);
  CHECK((direct.exit_code == 0 || direct.exit_code == 2));
}

TEST_CASE("discover: an unreadable file or directory is reported in errors and the scan goes on") {
  TempDir d;
  d.write("ok.py", kPy);
  d.write("locked.py", kPy);
  d.write("lockdir/inner.py", kPy);
  REQUIRE(::chmod((d / "locked.py").c_str(), 0) == 0);
  REQUIRE(::chmod((d / "lockdir").c_str(), 0) == 0);

  bool root = ::geteuid() == 0;
  if (root) MESSAGE("running as root: chmod 000 does not stop root from reading, so the errors entries are not checked");
  auto result = run_gapmap({"scan", d.path().string(), "--format", "json", "--fail-on", "never"}, kShort);
  INFO(result.describe());
  REQUIRE_FALSE(result.timed_out);
  CHECK(result.exit_code == 0);  // one bad file never aborts a scan
  auto r = nlohmann::json::parse(result.out, nullptr, false);
  REQUIRE_FALSE(r.is_discarded());
  CHECK(files_with_sites(r).count("ok.py") == 1);
  if (root) return;
  CHECK(files_with_sites(r).count("locked.py") == 0);
  CHECK(gapmap::test::has_error(r, "locked.py"));
  CHECK(gapmap::test::has_error(r, "lockdir"));
}

TEST_CASE("discover: paths are relative to the scan root with '/' whatever the working directory") {
  TempDir d;
  d.write("proj/pkg/mod.py", kPy);
  d.write("proj/web/app.ts", kJs);

  // Scanned as "." from inside, and by its path from outside: same files, same bytes.
  auto a = run_gapmap({"scan", ".", "--format", "json", "--fail-on", "never"},
                      RunOptions{.cwd = d / "proj", .timeout = std::chrono::seconds(20)});
  auto b = run_gapmap({"scan", (d / "proj").string(), "--format", "json", "--fail-on", "never"},
                      RunOptions{.cwd = d.path(), .timeout = std::chrono::seconds(20)});
  INFO(a.describe());
  REQUIRE(a.exit_code == 0);
  REQUIRE(b.exit_code == 0);
  auto report = nlohmann::json::parse(a.out, nullptr, false);
  REQUIRE_FALSE(report.is_discarded());
  CHECK(files_with_sites(report) == std::set<std::string>{"pkg/mod.py", "web/app.ts"});
  CHECK(a.out == b.out);
}

TEST_CASE("discover: --jobs 1 and --jobs 2 give byte-identical JSON") {
  // The detection fixtures: many files and languages, cross-file resolution, notebooks.
  fs::path tree = gapmap::test::fixture("detect");
  auto runs = gapmap::test::run_gapmap_parallel(
      {{"scan", tree.string(), "--format", "json", "--fail-on", "never", "--jobs", "1"},
       {"scan", tree.string(), "--format", "json", "--fail-on", "never", "--jobs", "2"},
       {"scan", tree.string(), "--format", "json", "--fail-on", "never", "--jobs", "2"}});
  const auto& one = runs[0];
  const auto& two = runs[1];
  const auto& two_again = runs[2];
  INFO(one.describe());
  REQUIRE(one.exit_code == 0);
  REQUIRE(two.exit_code == 0);
  CHECK(one.out.size() > 1000);
  CHECK(one.out == two.out);
  CHECK(two.out == two_again.out);
  auto r = nlohmann::json::parse(one.out, nullptr, false);
  REQUIRE_FALSE(r.is_discarded());
  CHECK(r["summary"]["call_sites"].get<int>() >= 60);

  // Call sites are sorted by file, then line, then column.
  const auto& sites = r["call_sites"];
  for (size_t i = 1; i < sites.size(); ++i) {
    auto key = [](const nlohmann::json& s) {
      return std::make_tuple(s["file"].get<std::string>(), s["line"].get<int>(), s["column"].get<int>());
    };
    CHECK(key(sites[i - 1]) <= key(sites[i]));
  }
}

}  // TEST_SUITE
