// Hostile inputs (SPEC §8): gapmap reads untrusted code and must survive anything in it. Every
// input is generated at test time in a temporary directory. None may crash (exit 0, no signal) or
// hang (each run has a timeout); real calls inside must still be found with correct positions.
#include <doctest/doctest.h>

#include <algorithm>
#include <cstdint>
#include <string>

#include "support/run_gapmap.h"

using gapmap::test::count_sites;
using gapmap::test::RunOptions;
using gapmap::test::RunResult;
using gapmap::test::run_gapmap;
using gapmap::test::TempDir;

namespace {

// Scans one file of `dir` alone. Checks that gapmap neither crashed nor hung and printed JSON.
struct Outcome {
  RunResult run;
  nlohmann::json report;
  bool ok = false;
};

Outcome scan_one(const TempDir& dir, const std::string& name, std::vector<std::string> extra = {},
                 std::chrono::seconds timeout = std::chrono::seconds(20)) {
  std::vector<std::string> args{"scan", (dir / name).string(), "--format", "json", "--fail-on", "never"};
  args.insert(args.end(), extra.begin(), extra.end());
  // Run from the temp dir so the file is reported by its bare name.
  Outcome o{run_gapmap(args, RunOptions{.cwd = dir.path(), .timeout = timeout}), {}, false};
  INFO(name << ": " << o.run.describe());
  CHECK_FALSE(o.run.timed_out);
  CHECK(o.run.signal == 0);
  CHECK(o.run.exit_code == 0);
  o.report = nlohmann::json::parse(o.run.out, nullptr, false);
  CHECK_FALSE(o.report.is_discarded());
  o.ok = !o.run.timed_out && o.run.exit_code == 0 && !o.report.is_discarded() && o.report.is_object();
  return o;
}

std::string utf16(std::u16string_view text, bool little_endian) {
  std::string out = little_endian ? std::string("\xFF\xFE") : std::string("\xFE\xFF");
  for (char16_t c : text) {
    char lo = static_cast<char>(c & 0xFF), hi = static_cast<char>((c >> 8) & 0xFF);
    if (little_endian) {
      out += lo;
      out += hi;
    } else {
      out += hi;
      out += lo;
    }
  }
  return out;
}

constexpr const char* kPyCall =
    "import openai\n"
    "client = openai.OpenAI()\n"
    "r = client.chat.completions.create(model=\"gpt-4o\", messages=[])\n";

// The small hostile inputs share one directory and one scan: the sanitizer build pays about a
// second per gapmap process. Each test case below writes its files here (under distinct names)
// and checks only those. A crash on any of them fails every case that uses the shared scan, and
// the failure shows gapmap's stderr.
struct SmallCorpus {
  TempDir dir;
  RunResult run;
  nlohmann::json report;
  bool ok = false;
};

void write_small_corpus(const TempDir& d);

const SmallCorpus& small_corpus() {
  static SmallCorpus corpus;
  static const bool scanned = [] {
    write_small_corpus(corpus.dir);
    corpus.run = run_gapmap({"scan", ".", "--format", "json", "--fail-on", "never"},
                            RunOptions{.cwd = corpus.dir.path(), .timeout = std::chrono::seconds(20)});
    corpus.report = nlohmann::json::parse(corpus.run.out, nullptr, false);
    corpus.ok = !corpus.run.timed_out && corpus.run.signal == 0 && corpus.run.exit_code == 0 &&
                corpus.report.is_object();
    return true;
  }();
  (void)scanned;
  INFO(corpus.run.describe());
  CHECK_FALSE(corpus.run.timed_out);
  CHECK(corpus.run.signal == 0);
  CHECK(corpus.run.exit_code == 0);
  CHECK(corpus.report.is_object());
  return corpus;
}

}  // namespace

TEST_SUITE("hostile") {

TEST_CASE("hostile: a binary file with a .py name is skipped without an error or a crash") {
  const auto& c = small_corpus();
  REQUIRE(c.ok);
  CHECK(count_sites(c.report, "real.py") == 1);
  CHECK(count_sites(c.report, "blob.py") == 0);
  CHECK(count_sites(c.report, "image.js") == 0);
  CHECK_FALSE(gapmap::test::has_error(c.report, "blob.py"));
  CHECK_FALSE(gapmap::test::has_error(c.report, "image.js"));
}

TEST_CASE("hostile: invalid UTF-8 around a real call: the call is found on its line") {
  const auto& c = small_corpus();
  REQUIRE(c.ok);
  auto sites = gapmap::test::sites_in(c.report, "bad.py");
  REQUIRE(sites.size() == 1);
  CHECK(sites[0]["line"] == 5);
  CHECK(sites[0]["column"] == 5);
  // The JSON output itself must be valid UTF-8 (it was parsed), with no raw invalid bytes.
  CHECK(c.run.out.find("\xff") == std::string::npos);
}

TEST_CASE("hostile: UTF-16 LE and BE with BOM: the real call is found with correct positions") {
  const auto& c = small_corpus();
  REQUIRE(c.ok);
  for (const char* name : {"le.py", "be.py", "le_crlf.py"}) {
    CAPTURE(name);
    auto sites = gapmap::test::sites_in(c.report, name);
    REQUIRE(sites.size() == 1);
    CHECK(sites[0]["line"] == 4);
    CHECK(sites[0]["column"] == 5);
    CHECK(sites[0]["provider"] == "openai");
    CHECK(sites[0]["model"] == "gpt-4o");
    CHECK_FALSE(gapmap::test::has_error(c.report, name));
  }
}

TEST_CASE("hostile: UTF-8 BOM and CRLF line endings keep line and column right") {
  const auto& c = small_corpus();
  REQUIRE(c.ok);
  {
    auto sites = gapmap::test::sites_in(c.report, "crlf.py");
    REQUIRE(sites.size() == 1);
    CHECK(sites[0]["line"] == 6);
    CHECK(sites[0]["column"] == 12);
    CHECK(sites[0]["end_line"] == 9);
    CHECK(sites[0]["end_column"] == 6);
    CHECK(sites[0]["function"] == "ask");
  }
  {
    // The BOM is not a column: the call on line 1 starts at column 20.
    auto sites = gapmap::test::sites_in(c.report, "bom_first_line.py");
    REQUIRE(sites.size() == 1);
    CHECK(sites[0]["line"] == 1);
    CHECK(sites[0]["column"] == 20);
  }
  {
    auto sites = gapmap::test::sites_in(c.report, "crlf.ts");
    REQUIRE(sites.size() == 1);
    CHECK(sites[0]["line"] == 4);
    CHECK(sites[0]["column"] == 3);
  }
  for (const char* f : {"crlf.py", "bom_first_line.py", "crlf.ts"}) CHECK_FALSE(gapmap::test::has_error(c.report, f));
}

TEST_CASE("hostile: columns count code points, not bytes") {
  const auto& c = small_corpus();
  REQUIRE(c.ok);
  auto sites = gapmap::test::sites_in(c.report, "wide.py");
  REQUIRE(sites.size() == 1);
  CHECK(sites[0]["column"] == 30);
}

TEST_CASE("hostile: empty and whitespace-only files") {
  const auto& c = small_corpus();
  REQUIRE(c.ok);
  for (const char* f : {"empty.py", "empty.ts", "blank.js"}) {
    CAPTURE(f);
    CHECK(count_sites(c.report, f) == 0);
    CHECK_FALSE(gapmap::test::has_error(c.report, f));
  }
  CHECK(count_sites(c.report, "empty.ipynb") == 0);
}

TEST_CASE("hostile: a syntax error does not hide a real call after it, and is listed in errors") {
  const auto& c = small_corpus();
  REQUIRE(c.ok);
  gapmap::test::expect_site(c.report, {.file = "broken.py", .line = 10, .provider = "openai", .model = "gpt-4o"});
  gapmap::test::expect_site(c.report, {.file = "broken.ts", .line = 8, .provider = "openai", .model = "gpt-4o"});
  CHECK(gapmap::test::has_error(c.report, "broken.py"));
  CHECK(gapmap::test::has_error(c.report, "broken.ts"));
  for (const auto& e : c.report["errors"]) {
    if (!e.value("file", "").starts_with("broken.")) continue;
    CAPTURE(e.dump());
    CHECK(e.contains("message"));
    CHECK((e.contains("line") && e["line"].is_number() && e["line"].get<int>() >= 1));
  }
}

TEST_CASE("hostile: a notebook that is not valid JSON is an error entry, not a crash") {
  const auto& c = small_corpus();
  REQUIRE(c.ok);
  CHECK(count_sites(c.report, "bad.ipynb") == 0);
  CHECK(count_sites(c.report, "not_nb.ipynb") == 0);
  CHECK(gapmap::test::has_error(c.report, "bad.ipynb"));
}

TEST_CASE("hostile: a file mixing everything still yields its call sites") {
  const auto& c = small_corpus();
  REQUIRE(c.ok);
  CHECK(count_sites(c.report, "odd.py") == 1);
}

TEST_CASE("hostile: 100k-deep nesting: lists, dicts, arrays, parentheses, calls") {
  // Three runs in parallel: nested lists/dicts/arrays together, and the two shapes that once
  // broke gapmap on their own, so a regression names its input.
  // Fixed, kept as regression tests:
  // - PythonAdapter::value_of recursed into parenthesized_expression (and await) without
  //   increasing `depth`: "x = " + "("*100000 + ")"*100000 crashed with SIGSEGV (from ~70k).
  // - deeply nested calls f(f(f(...))) took quadratic time: 8k levels ~3 s, 50k levels > 60 s.
  constexpr int kDepth = 100000;
  TempDir d;
  d.write("mixed/deep_list.py", "x = " + std::string(kDepth, '[') + std::string(kDepth, ']') + "\n" + kPyCall);
  d.write("mixed/deep_dict.py", "x = " + [] {
    std::string s;
    for (int i = 0; i < kDepth; ++i) s += "{1:";
    return s + "1" + std::string(kDepth, '}');
  }() + "\n");
  d.write("mixed/deep_array.js", "const x = " + std::string(kDepth, '[') + std::string(kDepth, ']') +
                                     ";\nimport OpenAI from \"openai\";\nconst c = new OpenAI();\n"
                                     "c.chat.completions.create({ model: \"gpt-4o\", messages: [] });\n");
  d.write("parens/deep_parens.py", "x = " + std::string(kDepth, '(') + std::string(kDepth, ')') + "\n" + kPyCall);
  std::string nested;
  for (int i = 0; i < kDepth; ++i) nested += "f(";
  nested += std::string(kDepth, ')');
  d.write("calls/deep_calls.js", "const y = " + nested + ";\n");

  std::vector<std::string> dirs{"mixed", "parens", "calls"};
  std::vector<std::vector<std::string>> runs;
  // --no-ignore: one-line files look minified and are skipped by default; here they must be parsed.
  for (const auto& sub : dirs)
    runs.push_back({"scan", (d / sub).string(), "--format", "json", "--fail-on", "never", "--no-ignore"});
  auto results = gapmap::test::run_gapmap_parallel(runs, RunOptions{.timeout = std::chrono::seconds(20)});
  std::vector<nlohmann::json> reports;
  for (size_t i = 0; i < dirs.size(); ++i) {
    CAPTURE(dirs[i]);
    INFO(results[i].describe());
    CHECK_FALSE(results[i].timed_out);
    CHECK(results[i].signal == 0);
    CHECK(results[i].exit_code == 0);
    reports.push_back(nlohmann::json::parse(results[i].out, nullptr, false));
    CHECK(reports.back().is_object());
  }
  if (reports[0].is_object()) {
    CHECK(count_sites(reports[0], "deep_list.py") == 1);
    CHECK(count_sites(reports[0], "deep_array.js") == 1);
    CHECK(reports[0]["summary"]["files_scanned"] == 3);
  }
  if (reports[1].is_object()) CHECK(count_sites(reports[1], "deep_parens.py") == 1);
  if (reports[2].is_object()) CHECK(reports[2]["summary"]["files_scanned"] == 1);
}

TEST_CASE("hostile: Rust, Go and Java at 100k depth: parentheses, blocks, builder chains, macro arguments") {
  // The Rust adapter folds builder chains by walking them: a 100k-setter chain must stay linear
  // (each call looks at most a bounded distance up and down), and nothing recurses unbounded.
  constexpr int kDepth = 100000;
  TempDir d;
  auto repeat = [](std::string_view s, int n) {
    std::string out;
    out.reserve(s.size() * static_cast<size_t>(n));
    for (int i = 0; i < n; ++i) out += s;
    return out;
  };
  d.write("rs/deep_parens.rs", "fn main() { let x = " + std::string(kDepth, '(') + "1" + std::string(kDepth, ')') + "; }\n");
  d.write("rs/deep_blocks.rs", "fn f() " + std::string(kDepth, '{') + std::string(kDepth, '}') + "\n");
  d.write("rs/deep_macro.rs", "fn f() { let x = format!(\"{}\", " + std::string(kDepth, '(') + std::string(kDepth, ')') + "); }\n");
  d.write("chains/deep_send.rs", "async fn f(c: reqwest::Client) { c.post(\"https://api.openai.com/v1/chat/completions\")" +
                                     repeat(".header(\"a\", \"b\")", kDepth) + ".send().await; }\n");
  d.write("chains/deep_with.rs", "fn f() { let c = Client::new()" + repeat(".with_a(1)", kDepth) + "; }\n");
  d.write("go/deep_composite.go", "package main\nvar x = " + repeat("T{", 20000) + std::string(20000, '}') + "\n");
  d.write("chains/DeepBuild.java", "class A { Object f() { return X.builder()" + repeat(".a(1)", kDepth) + ".build(); } }\n");
  d.write("chains/DeepCall.java", "class A { Object f() { return c.prompt()" + repeat(".user(\"x\")", kDepth) + ".call(); } }\n");
  d.write("go/DeepParens.java", "class A { int x = " + std::string(kDepth, '(') + "1" + std::string(kDepth, ')') + "; }\n");
  std::vector<std::string> dirs{"rs", "chains", "go"};
  std::vector<std::vector<std::string>> runs;
  for (const auto& sub : dirs)
    runs.push_back({"scan", (d / sub).string(), "--format", "json", "--fail-on", "never", "--no-ignore"});
  auto results = gapmap::test::run_gapmap_parallel(runs, RunOptions{.timeout = std::chrono::seconds(30)});
  for (size_t i = 0; i < dirs.size(); ++i) {
    CAPTURE(dirs[i]);
    INFO(results[i].describe());
    CHECK_FALSE(results[i].timed_out);
    CHECK(results[i].signal == 0);
    CHECK(results[i].exit_code == 0);
  }
  // Folding looks a bounded distance along a chain (48 calls), so a 100k-setter chain is not
  // reported as one request; what matters here is that it costs linear time and no stack.
  CHECK(nlohmann::json::parse(results[1].out, nullptr, false).is_object());
}

TEST_CASE("hostile: a 10 MB single-line minified .js file is parsed within the timeout") {
  // A production bundle on one line: inlined base64 assets (most of the bytes) and ~1 MB of dense
  // minified code, with the real call at the very end.
  // Fixed, kept as a regression test: code-point columns are recomputed from the start of the line whenever ranges are not
  // visited left to right, so a long line with many tokens is quadratic: this file does not
  // finish in minutes (a 1 MB line of 100k string literals alone takes ~40 s).
  TempDir d;
  constexpr size_t kTarget = 10 * 1024 * 1024;
  std::string js = "import OpenAI from \"openai\";const c=new OpenAI();";
  js.reserve(kTarget + 4096);
  static constexpr char kB64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  uint32_t seed = 12345;
  for (int asset = 0; asset < 8; ++asset) {
    js += "var font" + std::to_string(asset) + "=\"data:font/woff2;base64,";
    for (int i = 0; i < 1150 * 1024; ++i) {
      seed = seed * 1664525u + 1013904223u;
      js += kB64[(seed >> 24) & 63];
    }
    js += "\";";
  }
  for (int i = 0; js.size() < kTarget - 200; ++i) {
    std::string n = std::to_string(i);
    js += "function m" + n + "(a,b){return a.k" + n + "?b+\"s" + n + "\":[a,b,{x:" + n + "}]}";
  }
  js += "async function f(){return c.chat.completions.create({model:\"gpt-4o\",messages:[]})}\n";
  CHECK(js.size() >= kTarget - 200);
  CHECK(std::count(js.begin(), js.end(), '\n') == 1);
  d.write("bundle.js", js);
  // By default a bundle is generated code and left out (counted); --no-ignore parses it.
  auto skipped = scan_one(d, "bundle.js", {"--max-file-size", "20000000"}, std::chrono::seconds(15));
  REQUIRE(skipped.ok);
  CHECK(count_sites(skipped.report) == 0);
  CHECK(skipped.report["summary"]["generated_files_skipped"] == 1);
  auto o = scan_one(d, "bundle.js", {"--max-file-size", "20000000", "--no-ignore"}, std::chrono::seconds(15));
  REQUIRE(o.ok);
  REQUIRE(count_sites(o.report) == 1);
  CHECK(o.report["call_sites"][0]["line"] == 1);
  CHECK(o.report["call_sites"][0]["model"] == "gpt-4o");
  CHECK(o.report["errors"].empty());
}

TEST_CASE("hostile: a 10 MB file over the default size limit is skipped quickly and listed in errors") {
  TempDir d;
  d.write("bundle.js", std::string(10 * 1024 * 1024, 'a'));
  auto o = scan_one(d, "bundle.js", {}, std::chrono::seconds(10));
  REQUIRE(o.ok);
  CHECK(gapmap::test::has_error(o.report, "bundle.js"));
  CHECK(o.report["summary"]["files_scanned"] == 0);
}

}  // TEST_SUITE

namespace {

void write_small_corpus(const TempDir& d) {
  // Binary: NULs in a .py and a PNG named .js; a real call next to them.
  std::string bytes;
  for (int i = 0; i < 64 * 1024; ++i) bytes += static_cast<char>((i * 131 + 7) & 0xFF);
  d.write("blob.py", bytes);
  d.write("image.js", std::string("\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16) + std::string(4096, '\0'));
  d.write("real.py", kPyCall);

  // Invalid UTF-8: invalid and truncated sequences, an overlong encoding, an encoded surrogate.
  d.write("bad.py",
          "# \xff\xfe\xc3\x28 broken \xe2\x82\n"
          "s = '\xc0\xaf'\n"
          "import openai\n"
          "client = openai.OpenAI()\n"
          "r = client.chat.completions.create(model=\"gpt-4o\", messages=[])  # \xed\xa0\x80 surrogate\n");

  // UTF-16 with BOM, both byte orders, LF and CRLF; a non-BMP character on line 1.
  std::u16string src = u"# caf\u00e9 \u2014 \U0001F600\n"
                       u"import openai\n"
                       u"client = openai.OpenAI()\n"
                       u"r = client.chat.completions.create(model=\"gpt-4o\", messages=[])\n";
  d.write("le.py", utf16(src, true));
  d.write("be.py", utf16(src, false));
  std::u16string crlf;
  for (char16_t ch : src) {
    if (ch == u'\n') crlf += u'\r';
    crlf += ch;
  }
  d.write("le_crlf.py", utf16(crlf, true));

  // UTF-8 BOM and CRLF.
  d.write("crlf.py",
          "\xEF\xBB\xBFimport openai\r\n"
          "\r\n"
          "client = openai.OpenAI()\r\n"
          "\r\n"
          "def ask(q):\r\n"
          "    return client.chat.completions.create(\r\n"
          "        model=\"gpt-4o\",\r\n"
          "        messages=[],\r\n"
          "    )\r\n");
  d.write("bom_first_line.py",
          "\xEF\xBB\xBFimport openai; r = openai.chat.completions.create(model=\"gpt-4o\", messages=[])\r\n");
  d.write("crlf.ts",
          "\xEF\xBB\xBFimport OpenAI from \"openai\";\r\n"
          "const client = new OpenAI();\r\n"
          "export const ask = () =>\r\n"
          "  client.chat.completions.create({ model: \"gpt-4o\", messages: [] });\r\n");

  // Multi-byte characters before the call on its line.
  d.write("wide.py", "s = \"\xF0\x9F\x98\x80\xC3\xA9\"; import openai; r = openai.chat.completions.create(model=\"gpt-4o\", "
                     "messages=[])\n");

  // Empty and whitespace-only.
  d.write("empty.py", "");
  d.write("empty.ts", "");
  d.write("blank.js", "\n\n   \r\n\t\n");
  d.write("empty.ipynb", "");

  // Syntax errors before a real call.
  d.write("broken.py",
          "import openai\n"
          "client = openai.OpenAI()\n"
          "\n"
          "def broken(:\n"
          "    return 1 +\n"
          "\n"
          "class Half(\n"
          "\n"
          "def ask(q):\n"
          "    return client.chat.completions.create(model=\"gpt-4o\", messages=[])\n");
  d.write("broken.ts",
          "import OpenAI from \"openai\";\n"
          "const client = new OpenAI();\n"
          "function broken( {\n"
          "  let x = ;\n"
          "}\n"
          "\n"
          "export async function ask(q: string) {\n"
          "  return client.chat.completions.create({ model: \"gpt-4o\", messages: [] });\n"
          "}\n");

  // Notebooks that are not.
  d.write("bad.ipynb", "{\n \"cells\": [\n  {\"cell_type\": \"code\", \"source\": [\"import openai\\n\"\n");
  d.write("not_nb.ipynb", "[1, 2, 3]\n");

  // NUL-free but odd: a form feed, a 200 KB line, a lone CR, control characters, a stray tab.
  std::string text = "import openai\f\n";
  text += "x = '" + std::string(200000, 'z') + "'\n";
  text += "y = 1\r";
  text += "\x01\x02 = 3\n";
  text += "client = openai.OpenAI()\n";
  text += "\tr = client.chat.completions.create(model=\"gpt-4o\", messages=[])\n";
  d.write("odd.py", text);
}

}  // namespace
