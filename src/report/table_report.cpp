#include "report/table_report.h"

#include <fmt/format.h>

#include <map>
#include <set>

namespace gapmap::report {
namespace {

struct Paint {
  bool on;
  std::string operator()(std::string_view text, std::string_view code) const {
    if (!on) return std::string(text);
    return fmt::format("\x1b[{}m{}\x1b[0m", code, text);
  }
};

}  // namespace

std::string render_table(const Report& r, const TableStyle& style) {
  Paint paint{style.color};
  std::string out;
  if (r.call_sites.empty()) {
    out += fmt::format("No LLM call sites found in {} file{}.\n", r.files_scanned, r.files_scanned == 1 ? "" : "s");
  }
  std::string current;
  for (const auto& s : r.call_sites) {
    if (s.file != current) {
      current = s.file;
      out += "\n" + paint(s.file, "1") + "\n";
    }
    std::string loc = s.cell ? fmt::format("cell {}:{}", *s.cell, *s.cell_line) : fmt::format("{}:{}", s.line, s.column);
    std::string what = fmt::format("{} {}{}", s.provider, s.api, s.streaming ? " (stream)" : "");
    std::string model = s.model ? *s.model : "-";
    std::string score = s.score ? fmt::format("{:>3}", *s.score) : "  -";
    // Failing checks coloured by the level of their finding (red error, yellow warning, dim note);
    // suppressed and baselined ones are left out, as they are out of the gate.
    std::vector<std::string> failing;
    for (const auto& f : r.findings) {
      if (f.call_site != s.id || f.suppressed || f.baseline) continue;
      failing.push_back(paint(f.check, f.level == Level::Error ? "31" : f.level == Level::Warning ? "33" : "2"));
    }
    out += fmt::format("  {:<12} {:<28} {:<26} {:<10} {} {}\n", loc, what, model.substr(0, 26),
                       s.kind == "binding" ? "binding" : s.via, score,
                       failing.empty() ? std::string{} : fmt::format("fails: {}", fmt::join(failing, ", ")));
    out += fmt::format("  {:<12} {} in {}{}\n", "", s.sdk_method, s.function,
                       s.confidence == "high" ? "" : fmt::format(" [{} confidence]", s.confidence));
  }

  // Provider summary.
  struct Totals {
    int sites = 0;
    int with_fallback = 0;  // sites whose fallback check passes
    std::set<std::string> files, functions;
  };
  std::map<std::string, Totals> by_provider;
  for (const auto& s : r.call_sites) {
    auto& t = by_provider[s.provider];
    ++t.sites;
    t.files.insert(s.file);
    t.functions.insert(s.file + "::" + s.function);
    if (auto it = s.checks.find("fallback"); it != s.checks.end() && it->second.status == CheckStatus::Pass) ++t.with_fallback;
  }
  if (!by_provider.empty()) {
    out += "\n" + paint("Providers", "1") + "\n";
    out += fmt::format("  {:<16} {:>6} {:>6} {:>10} {:>9}\n", "provider", "sites", "files", "functions", "fallback");
    for (const auto& [p, t] : by_provider)
      out += fmt::format("  {:<16} {:>6} {:>6} {:>10} {:>4}/{:<4}\n", p, t.sites, t.files.size(), t.functions.size(),
                         t.with_fallback, t.sites);
  }
  // Findings by level, and what is out of the gate.
  size_t errors = 0, warnings = 0, notes = 0, suppressed = 0, baselined = 0;
  for (const auto& f : r.findings) {
    if (f.suppressed) ++suppressed;
    else if (f.baseline) ++baselined;
    else if (f.level == Level::Error) ++errors;
    else if (f.level == Level::Warning) ++warnings;
    else if (f.level == Level::Note) ++notes;
  }
  out += fmt::format("\nFindings: {} error{}, {} warning{}, {} note{}", errors, errors == 1 ? "" : "s", warnings,
                     warnings == 1 ? "" : "s", notes, notes == 1 ? "" : "s");
  if (suppressed || baselined) out += fmt::format(" ({} suppressed, {} in baseline)", suppressed, baselined);
  out += fmt::format("\n{} call site{} in {} file{} scanned", r.call_sites.size(), r.call_sites.size() == 1 ? "" : "s",
                     r.files_scanned, r.files_scanned == 1 ? "" : "s");
  if (r.score) out += fmt::format("; project score {}", *r.score);
  if (!r.errors.empty()) out += fmt::format("; {} file problem{} (see --format json)", r.errors.size(), r.errors.size() == 1 ? "" : "s");
  out += "\n";
  return out;
}

}  // namespace gapmap::report
