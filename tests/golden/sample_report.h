#pragma once
// A hand-built Report over the sources in tests/golden/src, shared by the renderer tests so the
// goldens do not move when detection or judging changes. It covers: two files with sources and
// one without (a notebook), a binding, a stream, passing fallback evidence that names another
// provider, a suppressed and a baselined finding, brackets and pipes in messages, a scan error.
#include <doctest/doctest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "core/report_model.h"

namespace gapmap::testing {

inline std::filesystem::path golden_dir() { return std::filesystem::path(GAPMAP_SOURCE_DIR) / "tests" / "golden"; }

inline std::string read_text(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Compares with tests/golden/NAME; GAPMAP_UPDATE_GOLDEN=1 rewrites it instead (then review the diff).
inline void check_golden(const std::string& name, const std::string& actual) {
  auto path = golden_dir() / name;
  if (const char* update = std::getenv("GAPMAP_UPDATE_GOLDEN"); update && std::string(update) == "1") {
    std::filesystem::create_directories(path.parent_path());
    std::ofstream(path, std::ios::binary) << actual;
    MESSAGE("updated " << path.string());
    return;
  }
  REQUIRE_MESSAGE(std::filesystem::exists(path), path.string() << " is missing; run with GAPMAP_UPDATE_GOLDEN=1");
  std::string expected = read_text(path);
  CHECK_MESSAGE(expected == actual, name << " differs from the golden; if the change is intended, run with "
                                           "GAPMAP_UPDATE_GOLDEN=1 and review the diff");
}

inline CheckResult pass(std::vector<Evidence> ev = {}) { return {CheckStatus::Pass, std::move(ev)}; }
inline CheckResult fail(std::vector<Evidence> ev = {}) { return {CheckStatus::Fail, std::move(ev)}; }
inline CheckResult na() { return {CheckStatus::NotApplicable, {}}; }

inline Finding finding(const CallSite& s, std::string rule, std::string check, Level level, std::string message,
                       std::string fingerprint, std::vector<Evidence> related = {}) {
  Finding f;
  f.rule = std::move(rule);
  f.check = std::move(check);
  f.level = level;
  f.file = s.file;
  f.line = s.line;
  f.column = s.column;
  f.end_line = s.end_line;
  f.end_column = s.end_column;
  f.message = std::move(message);
  f.call_site = s.id;
  f.fingerprint = std::move(fingerprint);
  f.related = std::move(related);
  return f;
}

inline Report sample_report() {
  Report r;
  r.tool_version = "0.1.0";
  r.files_scanned = 7;

  CallSite a;
  a.id = "cs-3f9a1c20e4b7d861";
  a.file = "app/llm.py";
  a.line = 10, a.column = 11, a.end_line = 14, a.end_column = 6;
  a.language = "python";
  a.provider = "anthropic";
  a.model = "claude-sonnet-4-20250514";
  a.function = "summarize";
  a.sdk_method = "claude.messages.create";
  a.checks["fallback"] = fail({{"app/llm.py", 10, "no handler around the call; no router fallbacks configured"}});
  a.checks["completion_check"] = fail({{"app/llm.py", 15, "msg.content[0].text is used without checking stop_reason"}});
  a.checks["schema_validation"] = na();
  a.checks["circuit_breaker"] = fail();
  a.checks["retry_safety"] = pass({{"app/llm.py", 10, "no retry around the call"}});
  a.checks["tracing"] = fail();
  a.checks["timeout"] = pass({{"app/llm.py", 5, "client timeout=30 at app/llm.py:5"}});
  a.checks["degradation"] = fail();
  a.score = 22;

  CallSite b;
  b.id = "cs-8d02b6f1a9c4e357";
  b.file = "app/llm.py";
  b.line = 20, b.column = 15, b.end_line = 23, b.end_column = 10;
  b.language = "python";
  b.provider = "openai";
  b.model = "gpt-4o-mini";
  b.function = "summarize_safe";
  b.sdk_method = "gpt.chat.completions.create";
  b.checks["fallback"] =
      pass({{"app/llm.py", 25, "handler at app/llm.py:25 calls anthropic chat via summarize() (different provider)"}});
  b.checks["completion_check"] = fail({{"app/llm.py", 24, "res.choices[0].message.content is used without checking finish_reason"}});
  b.checks["schema_validation"] = na();
  b.checks["circuit_breaker"] = fail();
  b.checks["retry_safety"] = pass({{"app/llm.py", 6, "SDK built-in retries (bounded, exponential backoff)"}});
  b.checks["tracing"] = fail();
  b.checks["timeout"] = fail({{"app/llm.py", 6, "OpenAI() has no timeout; the SDK default does not count"}});
  b.checks["degradation"] = pass({{"app/llm.py", 26, "handler returns summarize(text)"}});
  b.score = 44;

  CallSite c;
  c.id = "cs-c41e7a9052fd6b18";
  c.file = "notebooks/explore.ipynb";
  c.line = 40, c.column = 7, c.end_line = 40, c.end_column = 58;
  c.cell = 2, c.cell_line = 1;
  c.language = "python";
  c.provider = "google";
  c.via = "langchain";
  c.kind = "binding";
  c.model = "gemini-2.0-flash";
  c.function = "<module>";
  c.confidence = "medium";
  c.sdk_method = "ChatGoogleGenerativeAI";
  c.checks["fallback"] = fail();
  c.checks["completion_check"] = na();
  c.checks["schema_validation"] = na();
  c.checks["timeout"] = fail();
  c.score = 0;

  CallSite d;
  d.id = "cs-5b7e0d13f8a2c694";
  d.file = "web/chat.ts";
  d.line = 9, d.column = 26, d.end_line = 13, d.end_column = 7;
  d.language = "typescript";
  d.provider = "openai";
  d.model = "gpt-4o";
  d.streaming = true;
  d.function = "answer";
  d.sdk_method = "openai.chat.completions.create";
  d.checks["fallback"] = fail();
  d.checks["completion_check"] =
      fail({{"web/chat.ts", 15, "stream consumed without a check for a terminal event ([DONE] or a final finish_reason)"}});
  d.checks["schema_validation"] = na();
  d.checks["circuit_breaker"] = fail();
  d.checks["retry_safety"] = pass();
  d.checks["tracing"] = pass({{"web/chat.ts", 8, "OpenTelemetry span around the call"}});
  d.checks["timeout"] = pass({{"web/chat.ts", 4, "client timeout 30_000 ms"}});
  d.checks["degradation"] = fail();
  d.score = 33;

  r.call_sites = {a, b, c, d};
  r.score = 25;

  r.findings.push_back(finding(a, "GAP001", "fallback", Level::Warning,
                               "no handler around the call; no router fallbacks configured", "5e0c2b9d41a7f3e8"));
  r.findings.push_back(finding(a, "GAP002", "completion_check", Level::Error,
                               "the answer is used at app/llm.py:15 without checking stop_reason", "a17f4e02c9b85d36",
                               {{"app/llm.py", 15, "msg.content[0].text is used here"}}));
  r.findings.push_back(finding(a, "GAP004", "circuit_breaker", Level::Warning,
                               "no circuit breaker guards the call or its wrapper", "0b9d6e3a5c2f8147"));
  Finding traced = finding(a, "GAP006", "tracing", Level::Warning,
                           "no tracing: no span, SDK instrumentation or tracing configuration", "e4c81f7a2d095b63");
  traced.baseline = true;
  r.findings.push_back(traced);
  r.findings.push_back(finding(a, "GAP008", "degradation", Level::Note,
                               "a failure propagates to the caller; nothing cached, static or queued is served",
                               "7d3a90e5b1c46f28"));
  r.findings.push_back(finding(b, "GAP002", "completion_check", Level::Error,
                               "the answer is used at app/llm.py:24 without checking finish_reason", "c2e5a8170f3b9d64",
                               {{"app/llm.py", 24, "res.choices[0].message.content is used here"}}));
  Finding breaker = finding(b, "GAP004", "circuit_breaker", Level::Warning,
                            "no circuit breaker guards the call or its wrapper", "93f6b2d0e8a17c45");
  breaker.suppressed = true;
  breaker.suppression_reason = "the gateway has its own breaker";
  r.findings.push_back(breaker);
  r.findings.push_back(finding(b, "GAP006", "tracing", Level::Warning,
                               "no tracing: no span, SDK instrumentation or tracing configuration", "2a8d4c6f91e07b35"));
  r.findings.push_back(finding(b, "GAP007", "timeout", Level::Warning,
                               "OpenAI() at app/llm.py:6 has no timeout | the SDK default does not count",
                               "f1b7c3e95a0d2864", {{"app/llm.py", 6, "client constructed without a timeout"}}));
  r.findings.push_back(finding(c, "GAP001", "fallback", Level::Warning,
                               "binding ChatGoogleGenerativeAI has no fallback (.with_fallbacks) and no handler",
                               "6c0e9b4a7f2d8135"));
  r.findings.push_back(finding(c, "GAP007", "timeout", Level::Warning,
                               "ChatGoogleGenerativeAI(...) has no timeout", "b85f1d2c6e3a9047"));
  r.findings.push_back(finding(d, "GAP001", "fallback", Level::Warning,
                               "no handler around the call; no router fallbacks configured", "4f2a7e8c0b6d1953"));
  r.findings.push_back(finding(d, "GAP002", "completion_check", Level::Error,
                               "stream consumed at web/chat.ts:15 without a check for a terminal event ([DONE] or a "
                               "final finish_reason)",
                               "d9c3b5a8e2f01764", {{"web/chat.ts", 15, "for await over the stream"}}));
  r.findings.push_back(finding(d, "GAP004", "circuit_breaker", Level::Warning,
                               "no circuit breaker guards the call or its wrapper", "8e1f6a3d5c9b0274"));
  r.findings.push_back(finding(d, "GAP008", "degradation", Level::Note,
                               "a failure propagates to the caller; nothing cached, static or queued is served",
                               "1a5d9f7c3e8b2640"));

  r.errors.push_back({"legacy/broken.py", 3, "syntax error; the rest of the file was still scanned"});
  return r;
}

}  // namespace gapmap::testing
