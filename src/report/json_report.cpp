#include "report/json_report.h"

#include <fmt/format.h>

#include <map>

namespace gapmap::report {

using nlohmann::ordered_json;

namespace {

ordered_json evidence_json(const Evidence& e) {
  return ordered_json{{"file", e.file}, {"line", e.line}, {"note", e.note}};
}

ordered_json site_json(const CallSite& s) {
  ordered_json j;
  j["id"] = s.id;
  j["file"] = s.file;
  j["line"] = s.line;
  j["column"] = s.column;
  j["end_line"] = s.end_line;
  j["end_column"] = s.end_column;
  if (s.cell) {
    j["cell"] = *s.cell;
    j["cell_line"] = *s.cell_line;
  }
  j["language"] = s.language;
  j["provider"] = s.provider;
  if (!s.possible_providers.empty()) j["possible_providers"] = s.possible_providers;
  j["via"] = s.via;
  j["api"] = s.api;
  j["kind"] = s.kind;
  j["streaming"] = s.streaming;
  j["model"] = s.model ? ordered_json(*s.model) : ordered_json(nullptr);
  j["function"] = s.function;
  j["confidence"] = s.confidence;
  j["resolution"] = s.partial ? "partial" : "complete";
  j["tier"] = s.tier;
  j["score"] = s.score ? ordered_json(*s.score) : ordered_json(nullptr);
  j["sdk_method"] = s.sdk_method;
  ordered_json checks = ordered_json::object();
  for (const auto& [key, result] : s.checks) {
    ordered_json ev = ordered_json::array();
    for (const auto& e : result.evidence) ev.push_back(evidence_json(e));
    checks[key] = ordered_json{{"status", std::string(to_string(result.status))}, {"evidence", ev}};
  }
  j["checks"] = checks;
  return j;
}

ordered_json finding_json(const Finding& f) {
  ordered_json j;
  j["rule"] = f.rule;
  j["check"] = f.check;
  j["level"] = std::string(to_string(f.level));
  j["file"] = f.file;
  j["line"] = f.line;
  j["column"] = f.column;
  j["end_line"] = f.end_line;
  j["end_column"] = f.end_column;
  j["message"] = f.message;
  j["call_site"] = f.call_site.empty() ? ordered_json(nullptr) : ordered_json(f.call_site);
  j["fingerprint"] = f.fingerprint;
  j["suppressed"] = f.suppressed;
  if (f.suppressed) j["suppression_reason"] = f.suppression_reason;
  j["baseline"] = f.baseline;
  ordered_json rel = ordered_json::array();
  for (const auto& e : f.related) rel.push_back(evidence_json(e));
  j["related"] = rel;
  return j;
}

// provider -> model -> function -> [site ids]
ordered_json dependency_map_json(const Report& r) {
  std::map<std::string, std::map<std::string, std::map<std::string, std::vector<std::string>>>> tree;
  for (const auto& s : r.call_sites)
    tree[s.provider][s.model.value_or("(unspecified)")][s.file + "::" + s.function].push_back(s.id);
  ordered_json providers = ordered_json::object();
  for (const auto& [provider, models] : tree) {
    ordered_json m = ordered_json::object();
    for (const auto& [model, fns] : models) {
      ordered_json f = ordered_json::object();
      for (const auto& [fn, ids] : fns) f[fn] = ids;
      m[model] = f;
    }
    providers[provider] = m;
  }
  return ordered_json{{"providers", providers}};
}

}  // namespace

ordered_json to_json(const Report& r) {
  ordered_json j;
  j["schema"] = "gapmap/report@1";
  j["tool"] = ordered_json{{"name", "gapmap"}, {"version", r.tool_version}};
  std::map<std::string, int> providers;
  for (const auto& s : r.call_sites) ++providers[s.provider];
  ordered_json prov = ordered_json::object();
  for (const auto& [p, n] : providers) prov[p] = n;
  j["summary"] = ordered_json{{"files_scanned", r.files_scanned},
                              {"generated_files_skipped", r.generated_skipped},
                              {"call_sites", r.call_sites.size()},
                              {"partially_resolved", r.partially_resolved},
                              {"score", r.score ? ordered_json(*r.score) : ordered_json(nullptr)},
                              {"providers", prov}};
  ordered_json sites = ordered_json::array();
  for (const auto& s : r.call_sites) sites.push_back(site_json(s));
  j["call_sites"] = sites;
  ordered_json findings = ordered_json::array();
  for (const auto& f : r.findings) findings.push_back(finding_json(f));
  j["findings"] = findings;
  j["dependency_map"] = dependency_map_json(r);
  ordered_json errors = ordered_json::array();
  for (const auto& e : r.errors) {
    ordered_json ej{{"file", e.file}};
    if (e.line) ej["line"] = *e.line;
    ej["message"] = e.message;
    errors.push_back(ej);
  }
  j["errors"] = errors;
  return j;
}

// Scanned code may hold invalid UTF-8 (in model names, notes): replace it rather than throw.
std::string render_json(const Report& report) {
  return to_json(report).dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

}  // namespace gapmap::report
