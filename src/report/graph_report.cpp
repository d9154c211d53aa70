#include "report/graph_report.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>

namespace gapmap::report {
namespace {

constexpr const char* kNoModel = "(unspecified)";  // the same bucket name as the JSON map

struct FunctionKey {
  std::string file, function;
  auto operator<=>(const FunctionKey&) const = default;
};

// The map as nodes with stable small ids (in sorted order), shared by every renderer.
struct DependencyMap {
  struct Model {
    std::string provider, model;
    std::set<size_t> functions;  // indexes into `functions`
  };
  struct Function {
    FunctionKey key;
    std::vector<const CallSite*> sites;  // report order: file, line, column
  };
  std::map<std::string, std::vector<const CallSite*>> providers;
  std::vector<Model> models;  // sorted by provider, model
  std::vector<Function> functions;  // sorted by file, function
  std::map<std::string, std::vector<size_t>> models_of;  // provider -> indexes into `models`
  std::vector<FallbackEdge> fallbacks;
};

DependencyMap build_map(const Report& r) {
  DependencyMap m;
  std::map<std::pair<std::string, std::string>, std::set<FunctionKey>> model_functions;
  std::map<FunctionKey, std::vector<const CallSite*>> function_sites;
  for (const auto& s : r.call_sites) {
    m.providers[s.provider].push_back(&s);
    FunctionKey fk{s.file, s.function};
    model_functions[{s.provider, s.model.value_or(kNoModel)}].insert(fk);
    function_sites[fk].push_back(&s);
  }
  std::map<FunctionKey, size_t> function_index;
  for (auto& [key, sites] : function_sites) {
    function_index[key] = m.functions.size();
    m.functions.push_back({key, std::move(sites)});
  }
  for (const auto& [pm, fns] : model_functions) {
    DependencyMap::Model model{pm.first, pm.second, {}};
    for (const auto& fk : fns) model.functions.insert(function_index.at(fk));
    m.models_of[pm.first].push_back(m.models.size());
    m.models.push_back(std::move(model));
  }
  m.fallbacks = fallback_edges(r);
  return m;
}

std::vector<std::string> failing_checks(const CallSite& s) {
  std::vector<std::string> out;
  for (const auto& [key, res] : s.checks)
    if (res.status == CheckStatus::Fail) out.push_back(key);
  return out;
}

std::string plural(size_t n, std::string_view one, std::string_view many) {
  return fmt::format("{} {}", n, n == 1 ? one : many);
}

std::string site_caption(const CallSite& s) {
  std::string where = s.cell ? fmt::format("cell {} line {}", *s.cell, *s.cell_line) : fmt::format("line {}", s.line);
  if (s.kind == "binding") where += " (binding)";
  return where;
}

std::string score_caption(const CallSite& s) { return s.score ? fmt::format("score {}", *s.score) : "score -"; }

// Fill colours by score band; they only need to be readable, on light and dark viewers alike.
std::string_view score_fill(const CallSite& s) {
  if (!s.score) return "#eeeeee";
  if (*s.score >= 80) return "#d4edda";
  if (*s.score >= 50) return "#fff3cd";
  return "#f8d7da";
}

std::string_view score_class(const CallSite& s) {
  if (!s.score) return "unscored";
  if (*s.score >= 80) return "good";
  if (*s.score >= 50) return "fair";
  return "poor";
}

bool is_name_char(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'; }

bool mentions(std::string_view text, std::string_view word) {
  for (size_t pos = text.find(word); pos != std::string_view::npos; pos = text.find(word, pos + 1)) {
    bool start_ok = pos == 0 || !is_name_char(text[pos - 1]);
    bool end_ok = pos + word.size() == text.size() || !is_name_char(text[pos + word.size()]);
    if (start_ok && end_ok) return true;
  }
  return false;
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

// DOT double-quoted strings: quotes and backslashes escaped, line breaks as \n.
std::string dot_quote(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (c == '\n') {
      out += "\\n";
    } else if (c != '\r') {
      out += c;
    }
  }
  return out + "\"";
}

// Mermaid labels in "...": entity codes for what its parser or the HTML renderer would eat.
std::string mermaid_text(std::string_view s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '"': out += "#quot;"; break;
      case '#': out += "#35;"; break;
      case '<': out += "#lt;"; break;
      case '>': out += "#gt;"; break;
      case '&': out += "#amp;"; break;
      case '\n': out += "<br/>"; break;
      case '\r': break;
      default: out += c;
    }
  }
  return out;
}

}  // namespace

std::vector<FallbackEdge> fallback_edges(const Report& r) {
  std::set<std::string> providers;
  for (const auto& s : r.call_sites) providers.insert(s.provider);
  std::map<std::pair<std::string, std::string>, size_t> count;
  for (const auto& s : r.call_sites) {
    auto it = s.checks.find("fallback");
    if (it == s.checks.end() || it->second.status != CheckStatus::Pass) continue;
    std::set<std::string> targets;
    for (const auto& e : it->second.evidence) {
      std::string note = lower(e.note);
      for (const auto& p : providers)
        if (p != s.provider && p != "unknown" && mentions(note, p)) targets.insert(p);
    }
    for (const auto& t : targets) ++count[{s.provider, t}];
  }
  std::vector<FallbackEdge> out;
  for (const auto& [k, n] : count) out.push_back({k.first, k.second, n});
  return out;
}

std::string render_dot(const Report& r) {
  DependencyMap m = build_map(r);
  std::string out;
  out += "// gapmap dependency map: provider -> model -> function -> call site; dashed edges are fallbacks.\n";
  out += "digraph gapmap {\n";
  out += "  graph [rankdir=LR, fontname=\"Helvetica\", nodesep=0.3, ranksep=0.8];\n";
  out += "  node [fontname=\"Helvetica\", fontsize=10];\n";
  out += "  edge [color=\"#888888\", arrowsize=0.7];\n";
  if (m.providers.empty()) out += "  empty [label=\"no LLM call sites\", shape=plaintext];\n";

  size_t pi = 0;
  std::map<std::string, std::string> provider_node;
  for (const auto& [provider, sites] : m.providers) {
    std::string id = fmt::format("p{}", pi++);
    provider_node[provider] = id;
    // Size by how much depends on the provider, capped so one giant does not swamp the picture.
    size_t weight = std::min<size_t>(sites.size(), 20);
    out += fmt::format(
        "  {} [label={}, shape=box, style=\"rounded,filled\", fillcolor=\"#dbe9ff\", penwidth={}, "
        "fontsize={}, width={:.2f}, height={:.2f}];\n",
        id, dot_quote(fmt::format("{}\n{}", provider, plural(sites.size(), "site", "sites"))), 1 + weight / 5,
        12 + weight / 2, 1.2 + 0.08 * static_cast<double>(weight), 0.5 + 0.03 * static_cast<double>(weight));
  }
  for (size_t i = 0; i < m.models.size(); ++i)
    out += fmt::format("  m{} [label={}, shape=ellipse];\n", i, dot_quote(m.models[i].model));
  for (size_t i = 0; i < m.functions.size(); ++i) {
    const auto& f = m.functions[i];
    out += fmt::format("  f{} [label={}, shape=component];\n", i, dot_quote(fmt::format("{}\n{}", f.key.function, f.key.file)));
    for (size_t j = 0; j < f.sites.size(); ++j) {
      const CallSite& s = *f.sites[j];
      auto failing = failing_checks(s);
      out += fmt::format("  f{}s{} [label={}, shape=note, style=filled, fillcolor=\"{}\", tooltip={}];\n", i, j,
                         dot_quote(fmt::format("{}\n{}", site_caption(s), score_caption(s))), score_fill(s),
                         dot_quote(fmt::format("{}:{} {}{}", s.file, s.line, s.sdk_method,
                                               failing.empty() ? std::string() : fmt::format(" (fails: {})", fmt::join(failing, ", ")))));
    }
  }
  for (const auto& [provider, idx] : m.models_of)
    for (size_t i : idx) out += fmt::format("  {} -> m{};\n", provider_node[provider], i);
  for (size_t i = 0; i < m.models.size(); ++i)
    for (size_t f : m.models[i].functions) out += fmt::format("  m{} -> f{};\n", i, f);
  for (size_t i = 0; i < m.functions.size(); ++i)
    for (size_t j = 0; j < m.functions[i].sites.size(); ++j) out += fmt::format("  f{} -> f{}s{};\n", i, i, j);
  for (const auto& e : m.fallbacks)
    out += fmt::format(
        "  {} -> {} [style=dashed, color=\"#2e7d32\", fontcolor=\"#2e7d32\", constraint=false, label={}];\n",
        provider_node[e.from], provider_node[e.to], dot_quote(fmt::format("fallback ({})", e.sites)));
  out += "}\n";
  return out;
}

std::string render_mermaid(const Report& r) {
  DependencyMap m = build_map(r);
  std::string out = "flowchart LR\n";
  out += "  %% gapmap dependency map: provider -> model -> function -> call site; dotted edges are fallbacks.\n";
  if (m.providers.empty()) out += "  empty[\"no LLM call sites\"]\n";
  size_t pi = 0;
  std::map<std::string, std::string> provider_node;
  for (const auto& [provider, sites] : m.providers) {
    std::string id = fmt::format("p{}", pi++);
    provider_node[provider] = id;
    out += fmt::format("  {}[\"{}\"]:::provider\n", id,
                       mermaid_text(fmt::format("{}\n{}", provider, plural(sites.size(), "site", "sites"))));
  }
  for (size_t i = 0; i < m.models.size(); ++i) out += fmt::format("  m{}([\"{}\"])\n", i, mermaid_text(m.models[i].model));
  for (size_t i = 0; i < m.functions.size(); ++i) {
    const auto& f = m.functions[i];
    out += fmt::format("  f{}[[\"{}\"]]\n", i, mermaid_text(fmt::format("{}\n{}", f.key.function, f.key.file)));
    for (size_t j = 0; j < f.sites.size(); ++j) {
      const CallSite& s = *f.sites[j];
      out += fmt::format("  f{}s{}>\"{}\"]:::{}\n", i, j, mermaid_text(fmt::format("{}\n{}", site_caption(s), score_caption(s))),
                         score_class(s));
    }
  }
  for (const auto& [provider, idx] : m.models_of)
    for (size_t i : idx) out += fmt::format("  {} --> m{}\n", provider_node[provider], i);
  for (size_t i = 0; i < m.models.size(); ++i)
    for (size_t f : m.models[i].functions) out += fmt::format("  m{} --> f{}\n", i, f);
  for (size_t i = 0; i < m.functions.size(); ++i)
    for (size_t j = 0; j < m.functions[i].sites.size(); ++j) out += fmt::format("  f{} --> f{}s{}\n", i, i, j);
  for (const auto& e : m.fallbacks)
    out += fmt::format("  {} -.->|\"fallback ({})\"| {}\n", provider_node[e.from], e.sites, provider_node[e.to]);
  out += "  classDef provider fill:#dbe9ff,stroke:#3b6fb6,stroke-width:2px\n";
  out += "  classDef good fill:#d4edda,stroke:#2e7d32\n";
  out += "  classDef fair fill:#fff3cd,stroke:#b8860b\n";
  out += "  classDef poor fill:#f8d7da,stroke:#b71c1c\n";
  out += "  classDef unscored fill:#eeeeee,stroke:#888888\n";
  return out;
}

std::string render_map_text(const Report& r) {
  DependencyMap m = build_map(r);
  if (m.providers.empty())
    return fmt::format("No LLM call sites found in {}.\n", plural(r.files_scanned, "file", "files"));
  std::string out;
  for (const auto& [provider, sites] : m.providers) {
    std::set<std::string> files;
    for (const auto* s : sites) files.insert(s->file);
    out += fmt::format("{} ({} in {})\n", provider, plural(sites.size(), "call site", "call sites"),
                       plural(files.size(), "file", "files"));
    for (size_t mi : m.models_of[provider]) {
      const auto& model = m.models[mi];
      out += fmt::format("  {}\n", model.model);
      for (size_t fi : model.functions) {
        const auto& f = m.functions[fi];
        out += fmt::format("    {} in {}\n", f.key.function, f.key.file);
        for (const auto* s : f.sites) {
          if (s->provider != provider || s->model.value_or(kNoModel) != model.model) continue;
          auto failing = failing_checks(*s);
          std::string loc = s->cell ? fmt::format("{}:{} (cell {} line {})", s->file, s->line, *s->cell, *s->cell_line)
                                    : fmt::format("{}:{}:{}", s->file, s->line, s->column);
          out += fmt::format("      {}  {} {}{}{}  {}{}\n", loc, s->api, s->sdk_method.empty() ? s->via : s->sdk_method,
                             s->streaming ? " (stream)" : "", s->kind == "binding" ? " (binding)" : "", score_caption(*s),
                             failing.empty() ? std::string() : fmt::format("  fails: {}", fmt::join(failing, ", ")));
        }
      }
    }
  }
  if (!m.fallbacks.empty()) {
    out += "\nFallbacks between providers\n";
    for (const auto& e : m.fallbacks)
      out += fmt::format("  {} -> {} ({})\n", e.from, e.to, plural(e.sites, "call site", "call sites"));
  }
  out += fmt::format("\n{} across {}", plural(r.call_sites.size(), "call site", "call sites"),
                     plural(m.providers.size(), "provider", "providers"));
  if (m.providers.size() == 1 && !m.providers.contains("unknown"))
    out += fmt::format("; every call depends on {}", m.providers.begin()->first);
  out += "\n";
  return out;
}

}  // namespace gapmap::report
