#include "report/baseline.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>
#include <stdexcept>

#include "rules/rule_files.h"

namespace gapmap::report {

std::string render_baseline(const Report& report) {
  nlohmann::ordered_json j;
  j["schema"] = "gapmap/baseline@1";
  nlohmann::ordered_json list = nlohmann::ordered_json::array();
  for (const auto& f : report.findings) {
    if (f.suppressed) continue;
    list.push_back({{"fingerprint", f.fingerprint}, {"rule", f.rule}, {"file", f.file}, {"message", f.message}});
  }
  j["findings"] = list;
  return j.dump(2) + "\n";
}

std::set<std::string> parse_baseline(const std::string& text, const std::string& origin) {
  nlohmann::json doc;
  try {
    doc = nlohmann::json::parse(text);
  } catch (const nlohmann::json::parse_error& e) {
    auto [line, col] = rules::line_column_of(text, e.byte > 0 ? e.byte - 1 : 0);
    throw std::runtime_error(fmt::format("{}:{}:{}: not a gapmap baseline (invalid JSON); write one with --write-baseline", origin, line, col));
  }
  if (!doc.is_object() || doc.value("schema", "") != "gapmap/baseline@1" || !doc.contains("findings") || !doc["findings"].is_array())
    throw std::runtime_error(fmt::format("{}:1:1: not a gapmap baseline (expected \"schema\": \"gapmap/baseline@1\"); write one with --write-baseline", origin));
  std::set<std::string> out;
  for (const auto& f : doc["findings"])
    if (f.is_object() && f.contains("fingerprint") && f["fingerprint"].is_string()) out.insert(f["fingerprint"].get<std::string>());
  return out;
}

size_t apply_baseline(Report& report, const std::set<std::string>& fingerprints) {
  size_t n = 0;
  for (auto& f : report.findings)
    if (fingerprints.count(f.fingerprint)) {
      f.baseline = true;
      ++n;
    }
  return n;
}

}  // namespace gapmap::report
