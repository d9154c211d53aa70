#include "report/markdown_report.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <optional>
#include <set>
#include <tuple>

namespace gapmap::report {
namespace {

// Room kept for the closing notes when the per-file sections are cut short.
constexpr size_t kTailReserve = 1'500;
constexpr size_t kMaxMessage = 400;

bool active(const Finding& f) { return !f.suppressed && !f.baseline; }

std::string plural(size_t n, std::string_view one, std::string_view many) {
  return fmt::format("{} {}", n, n == 1 ? one : many);
}

std::string html(std::string_view s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '&': out += "&amp;"; break;
      case '"': out += "&quot;"; break;
      default: out += c;
    }
  }
  return out;
}

// A code span that survives any content: a fence longer than the longest backtick run, and pipes
// escaped because GFM splits table cells before it parses code spans.
std::string code(std::string_view s) {
  size_t longest = 0, run = 0;
  for (char c : s) {
    run = c == '`' ? run + 1 : 0;
    longest = std::max(longest, run);
  }
  std::string fence(longest + 1, '`');
  std::string body;
  for (char c : s) {
    if (c == '|') {
      body += "\\|";
    } else if (c == '\n' || c == '\r') {
      body += ' ';
    } else {
      body += c;
    }
  }
  bool pad = longest > 0 || (!body.empty() && (body.front() == '`' || body.back() == '`'));
  return pad ? fence + " " + body + " " + fence : fence + body + fence;
}

// Prose from findings (which quote code in backticks): Markdown and HTML specials escaped outside
// code spans, so a message cannot break the table or inject markup.
std::string prose(std::string_view s) {
  if (s.size() > kMaxMessage) s = s.substr(0, kMaxMessage);
  bool balanced = std::count(s.begin(), s.end(), '`') % 2 == 0;
  std::string out;
  bool in_code = false;
  for (char c : s) {
    if (c == '\n' || c == '\r') {
      out += ' ';
    } else if (c == '`' && balanced) {
      in_code = !in_code;
      out += c;
    } else if (c == '|') {
      out += "\\|";
    } else if (in_code) {
      out += c;
    } else if (c == '<') {
      out += "&lt;";
    } else if (c == '>') {
      out += "&gt;";
    } else if (c == '&') {
      out += "&amp;";
    } else if (std::string_view("\\`*_[]#~").find(c) != std::string_view::npos) {
      out += '\\';
      out += c;
    } else {
      out += c;
    }
  }
  if (s.size() == kMaxMessage) out += "…";
  return out;
}

// Rule links are reference-style ("[fallback][GAP001]", defined once at the end): the raw text
// stays readable in a step summary and long tables stay far below GitHub's comment limit.
class Links {
 public:
  explicit Links(const MarkdownOptions& o) : base_(o.docs_base_uri) {
    for (size_t i = 0; i < o.checks.size(); ++i) {
      const auto& d = o.checks[i];
      by_key_[d.key] = &d;
      by_id_[d.id] = &d;
      rank_[d.key] = i;
    }
  }
  std::string rule(const std::string& id) {
    if (base_.empty() || !by_id_.contains(id)) return prose(id);
    used_.insert(id);
    return fmt::format("[{}]", id);
  }
  std::string check(const std::string& key) {
    auto it = by_key_.find(key);
    if (it == by_key_.end() || base_.empty()) return prose(key);
    used_.insert(it->second->id);
    return fmt::format("[{}][{}]", prose(key), it->second->id);
  }
  const rules::CheckDoc* doc(const std::string& id) const {
    auto it = by_id_.find(id);
    return it == by_id_.end() ? nullptr : it->second;
  }
  // Documented checks in checklist order (GAP001 first), then the rest by name.
  bool before(const std::string& a, const std::string& b) const {
    auto ra = rank_.find(a), rb = rank_.find(b);
    size_t na = ra == rank_.end() ? rank_.size() : ra->second, nb = rb == rank_.end() ? rank_.size() : rb->second;
    return na != nb ? na < nb : a < b;
  }
  std::string definitions() const {
    std::string out;
    for (const auto& id : used_) out += fmt::format("[{}]: {}{}.md\n", id, base_, id);
    return out;
  }

 private:
  std::string base_;
  std::map<std::string, const rules::CheckDoc*> by_key_, by_id_;
  std::map<std::string, size_t> rank_;
  std::set<std::string> used_;  // definitions are emitted only for links actually written
};

std::string failing(const CallSite& s, Links& links) {
  std::vector<std::string> keys;
  for (const auto& [key, res] : s.checks)
    if (res.status == CheckStatus::Fail) keys.push_back(key);
  std::sort(keys.begin(), keys.end(), [&](const auto& a, const auto& b) { return links.before(a, b); });
  std::vector<std::string> out;
  for (const auto& k : keys) out.push_back(links.check(k));
  return out.empty() ? "none" : fmt::format("{}", fmt::join(out, ", "));
}

std::string level_counts(const std::map<Level, size_t>& by_level) {
  std::vector<std::string> parts;
  for (Level l : {Level::Error, Level::Warning, Level::Note}) {
    auto it = by_level.find(l);
    if (it != by_level.end() && it->second > 0)
      parts.push_back(plural(it->second, to_string(l), fmt::format("{}s", to_string(l))));
  }
  return parts.empty() ? "none" : fmt::format("{}", fmt::join(parts, ", "));
}

std::string model_of(const CallSite& s) { return s.model ? code(*s.model) : "-"; }

std::string where(const CallSite& s) {
  return s.cell ? fmt::format("{} (cell {} line {})", code(fmt::format("{}:{}", s.file, s.line)), *s.cell, *s.cell_line)
                : code(fmt::format("{}:{}", s.file, s.line));
}

// Lowest score first; unscored sites (nothing applicable) last; then by position.
bool worse(const CallSite* a, const CallSite* b) {
  int sa = a->score.value_or(101), sb = b->score.value_or(101);
  if (sa != sb) return sa < sb;
  return std::tie(a->file, a->line, a->column) < std::tie(b->file, b->line, b->column);
}

struct FileEntry {
  std::vector<const CallSite*> sites;
  std::vector<const Finding*> findings;  // active only
  std::optional<int> score;
};

}  // namespace

std::string render_markdown(const Report& r, const MarkdownOptions& o) {
  Links links(o);
  std::string out = "## gapmap: LLM call-site audit\n\n";

  std::map<std::string, size_t> providers;
  std::set<std::string> site_files;
  for (const auto& s : r.call_sites) {
    ++providers[s.provider];
    site_files.insert(s.file);
  }
  std::vector<std::string> provider_parts;
  for (const auto& [p, n] : providers) provider_parts.push_back(fmt::format("{} {}", prose(p), n));

  std::map<Level, size_t> by_level;
  size_t suppressed = 0, in_baseline = 0;
  for (const auto& f : r.findings) {
    if (f.suppressed) {
      ++suppressed;
    } else if (f.baseline) {
      ++in_baseline;
    } else {
      ++by_level[f.level];
    }
  }

  out += r.score ? fmt::format("**Score {} / 100**", *r.score) : std::string("**Score -**");
  out += fmt::format(" · {} in {} ({} scanned)", plural(r.call_sites.size(), "call site", "call sites"),
                     plural(site_files.size(), "file", "files"), plural(r.files_scanned, "file", "files"));
  if (!provider_parts.empty()) out += fmt::format(" · providers: {}", fmt::join(provider_parts, ", "));
  out += "\n\n";
  out += fmt::format("**Findings:** {}", level_counts(by_level));
  std::vector<std::string> quiet;
  if (suppressed) quiet.push_back(fmt::format("{} suppressed", suppressed));
  if (in_baseline) quiet.push_back(fmt::format("{} unchanged from the baseline", in_baseline));
  if (!quiet.empty()) out += fmt::format(" (not counted: {})", fmt::join(quiet, ", "));
  out += "\n\n";

  if (r.call_sites.empty()) {
    out += fmt::format("No LLM call sites found in {}.\n", plural(r.files_scanned, "file", "files"));
  } else {
    // Worst call sites.
    std::vector<const CallSite*> ranked;
    for (const auto& s : r.call_sites)
      if (std::any_of(s.checks.begin(), s.checks.end(), [](const auto& c) { return c.second.status == CheckStatus::Fail; }))
        ranked.push_back(&s);
    std::sort(ranked.begin(), ranked.end(), worse);
    out += "### Lowest-scoring call sites\n\n";
    if (ranked.empty()) {
      out += "Every call site passes every check that applies to it.\n\n";
    } else {
      out += "| Score | Call site | Function | Provider | Model | Failing checks |\n";
      out += "| ---: | --- | --- | --- | --- | --- |\n";
      for (size_t i = 0; i < ranked.size() && i < o.worst_sites; ++i) {
        const CallSite& s = *ranked[i];
        out += fmt::format("| {} | {} | {} | {} | {} | {} |\n", s.score ? std::to_string(*s.score) : "-", where(s),
                           code(s.function), prose(s.provider), model_of(s), failing(s, links));
      }
      if (ranked.size() > o.worst_sites)
        out += fmt::format("\n…and {} more with failing checks.\n", ranked.size() - o.worst_sites);
      out += "\n";
    }

    // Per check.
    std::vector<std::pair<std::string, std::string>> rows;  // id, key
    std::set<std::string> seen;
    for (const auto& d : o.checks) {
      rows.emplace_back(d.id, d.key);
      seen.insert(d.id);
    }
    for (const auto& f : r.findings)
      if (seen.insert(f.rule).second) rows.emplace_back(f.rule, f.check);
    out += "### Checks\n\n| Check | Failing call sites | Findings |\n| --- | ---: | --- |\n";
    for (const auto& [id, key] : rows) {
      size_t fail = 0, applicable = 0;
      for (const auto& s : r.call_sites) {
        auto it = s.checks.find(key);
        if (it == s.checks.end() || it->second.status == CheckStatus::NotApplicable) continue;
        ++applicable;
        if (it->second.status == CheckStatus::Fail) ++fail;
      }
      std::map<Level, size_t> levels;
      bool any = false;
      for (const auto& f : r.findings) {
        if (f.rule != id) continue;
        any = true;
        if (active(f)) ++levels[f.level];
      }
      const rules::CheckDoc* d = links.doc(id);
      std::string sites;
      if (d && d->project_level) {
        sites = any ? "project fails" : "project passes";
      } else {
        sites = applicable ? fmt::format("{} of {}", fail, applicable) : "n/a";
      }
      std::string title = d ? fmt::format("{} {} ({})", links.rule(id), prose(d->name), code(key)) : links.rule(id);
      out += fmt::format("| {} | {} | {} |\n", title, sites, level_counts(levels));
    }
    out += "\n";
  }

  // Per file, worst first, each collapsed.
  std::map<std::string, FileEntry> files;
  for (const auto& s : r.call_sites) files[s.file].sites.push_back(&s);
  for (const auto& f : r.findings)
    if (active(f) && !f.file.empty()) files[f.file].findings.push_back(&f);
  std::vector<std::pair<const std::string*, FileEntry*>> order;
  for (auto& [path, entry] : files) {
    int sum = 0, n = 0;
    for (const auto* s : entry.sites)
      if (s->score) sum += *s->score, ++n;
    if (n) entry.score = static_cast<int>(std::lround(static_cast<double>(sum) / n));
    order.emplace_back(&path, &entry);
  }
  std::stable_sort(order.begin(), order.end(), [](const auto& a, const auto& b) {
    return a.second->score.value_or(101) < b.second->score.value_or(101);
  });
  if (!order.empty()) out += "### Files\n\n";
  size_t shown = 0;
  for (const auto& [path, entry] : order) {
    std::string section = "<details>\n";
    section += fmt::format("<summary><code>{}</code>: {}{}, {}</summary>\n\n", html(*path),
                           plural(entry->sites.size(), "call site", "call sites"),
                           entry->score ? fmt::format(", score {}", *entry->score) : std::string(),
                           plural(entry->findings.size(), "finding", "findings"));
    if (!entry->sites.empty()) {
      section += "| Line | Function | Provider | Model | Score | Failing checks |\n";
      section += "| ---: | --- | --- | --- | ---: | --- |\n";
      for (const auto* s : entry->sites)
        section += fmt::format("| {} | {} | {} | {} | {} | {} |\n",
                               s->cell ? fmt::format("{} (cell {})", s->line, *s->cell) : std::to_string(s->line),
                               code(s->function), prose(s->provider), model_of(*s),
                               s->score ? std::to_string(*s->score) : "-", failing(*s, links));
      section += "\n";
    }
    for (const auto* f : entry->findings)
      section += fmt::format("- **{}** {} line {}: {}\n", to_string(f->level), links.rule(f->rule), f->line, prose(f->message));
    if (!entry->findings.empty()) section += "\n";
    section += "</details>\n\n";
    if (out.size() + section.size() + kTailReserve > o.max_bytes) break;
    out += section;
    ++shown;
  }
  if (shown < order.size())
    out += fmt::format("…and {} not shown to keep this summary within {} bytes; the SARIF and JSON reports have every "
                       "finding.\n\n",
                       plural(order.size() - shown, "more file", "more files"), o.max_bytes);

  if (!r.errors.empty()) {
    out += fmt::format("<details>\n<summary>{}: files gapmap could not read or parse completely</summary>\n\n",
                       plural(r.errors.size(), "scan problem", "scan problems"));
    size_t listed = 0;
    for (const auto& e : r.errors) {
      std::string line = fmt::format("- {}{}: {}\n", code(e.file), e.line ? fmt::format(" line {}", *e.line) : std::string(),
                                     prose(e.message));
      if (out.size() + line.size() + kTailReserve / 2 > o.max_bytes) break;
      out += line;
      ++listed;
    }
    if (listed < r.errors.size()) out += fmt::format("- …and {} more\n", r.errors.size() - listed);
    out += "\n</details>\n";
  }
  if (std::string defs = links.definitions(); !defs.empty()) out += "\n" + defs;
  return out;
}

}  // namespace gapmap::report
