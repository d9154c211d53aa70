#pragma once
// Assertions on one check of one call site, shared by the Python and TypeScript checklist tests:
// the verdict, and evidence at the expected place saying the expected thing.
#include <doctest/doctest.h>

#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <string>

#include "support/run_gapmap.h"

namespace gapmap::test {

// `gapmap scan tests/fixtures/checks/<language>/<name> --format json --fail-on never`, parsed;
// cached per fixture.
inline const nlohmann::json& scan_check_fixture(const std::string& language, const std::string& name) {
  static std::map<std::string, nlohmann::json> cache;
  std::string key = language + "/" + name;
  if (auto it = cache.find(key); it != cache.end()) return it->second;
  auto path = std::filesystem::path(GAPMAP_FIXTURES) / "checks" / language / name;
  RunResult r = run_gapmap({"scan", path.string(), "--format", "json", "--fail-on", "never"});
  nlohmann::json doc = nlohmann::json::object();
  INFO("gapmap scan " << key << " exited " << r.exit_code << "; stderr: " << r.err);
  CHECK(r.exit_code == 0);
  try {
    doc = nlohmann::json::parse(r.out);
  } catch (const nlohmann::json::parse_error& e) {
    FAIL_CHECK("unparsable JSON from gapmap scan " << key << ": " << e.what());
    doc = nlohmann::json::object();
  }
  return cache.emplace(key, std::move(doc)).first->second;
}

inline size_t site_count(const nlohmann::json& report) {
  return report.contains("call_sites") ? report["call_sites"].size() : 0;
}

// What one check of one site must say.
struct Expect {
  std::string file = {};  // site
  int line = 0;
  std::string check = {};
  std::string status = {};
  // Evidence: some entry must be at ev_file (default: the site's file), on a line in
  // [ev_line, ev_line_max] (ev_line_max 0: exactly ev_line; ev_line 0: not checked), and its
  // note must contain `note`.
  std::string ev_file = {};
  int ev_line = 0;
  int ev_line_max = 0;
  std::string note = {};
};

inline void expect(const nlohmann::json& report, const Expect& e) {
  INFO("site " << e.file << ":" << e.line << " check " << e.check);
  const nlohmann::json* s = site_at(report, e.file, e.line);
  REQUIRE_MESSAGE(s != nullptr, "no call site at " << e.file << ":" << e.line);
  REQUIRE((*s).contains("checks"));
  REQUIRE((*s)["checks"].contains(e.check));
  const nlohmann::json& c = (*s)["checks"][e.check];
  INFO("verdict: " << c.dump());
  CHECK(c.value("status", "") == e.status);
  REQUIRE(c.contains("evidence"));
  CHECK_FALSE(c["evidence"].empty());
  std::string want_file = e.ev_file.empty() ? e.file : e.ev_file;
  int lo = e.ev_line, hi = e.ev_line_max ? e.ev_line_max : e.ev_line;
  bool found = false;
  for (const auto& ev : c["evidence"]) {
    int line = ev.value("line", 0);
    bool at = ev.value("file", "") == want_file && (lo == 0 || (line >= lo && line <= hi));
    bool says = e.note.empty() || ev.value("note", "").find(e.note) != std::string::npos;
    found = found || (at && says);
  }
  CHECK_MESSAGE(found, "expected evidence at " << want_file << ":" << lo << (hi != lo ? "-" + std::to_string(hi) : "")
                                               << " with a note containing \"" << e.note << "\"");
}

}  // namespace gapmap::test
