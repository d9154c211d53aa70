#include "checks/engine.h"

#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "checks/checks.h"
#include "core/parallel.h"

namespace gapmap::checks {

namespace {

// Top-level and nested keys of a LiteLLM config, read line by line: only which keys are set
// matters, so a YAML parse is not needed (anchors and flow style still show the key names).
void read_router_config(const ConfigText& config, const rules::Knowledge& knowledge, ProjectFacts& facts) {
  std::map<std::string, Evidence> found;
  bool is_router = false;
  size_t pos = 0;
  uint32_t line = 0;
  while (pos < config.text.size()) {
    size_t eol = config.text.find('\n', pos);
    std::string_view l(config.text.data() + pos, (eol == std::string::npos ? config.text.size() : eol) - pos);
    pos = eol == std::string::npos ? config.text.size() : eol + 1;
    ++line;
    size_t b = l.find_first_not_of(" \t-");
    if (b == std::string_view::npos || l[b] == '#') continue;
    size_t colon = l.find(':', b);
    if (colon == std::string_view::npos) continue;
    std::string key(l.substr(b, colon - b));
    if (knowledge.contains("router.marker_keys", key)) is_router = true;
    for (const char* kind : {"fallback", "breaker", "timeout"})
      if (knowledge.contains(std::string("router.") + kind + "_keys", key) && !found.count(kind))
        found[kind] = {config.path, line, fmt::format("LiteLLM proxy config {}:{} sets {}", config.path, line, key)};
  }
  if (!is_router) return;
  for (auto& [k, e] : found)
    if (!facts.router.count(k)) facts.router[k] = e;
}

}  // namespace

ProjectFacts collect_facts(const index::ProjectIndex& index, const index::Resolver& resolver, const rules::Knowledge& knowledge,
                           const std::vector<EnvSetting>& env, const std::vector<ConfigText>& configs) {
  ProjectFacts facts;
  for (const auto& c : configs) read_router_config(c, knowledge, facts);
  const auto& modules = knowledge.list("tracing.instrumentation_modules");
  for (uint32_t fi = 0; fi < index.files().size(); ++fi) {
    const FileSummary& f = index.file(fi);
    for (const auto& c : f.calls) {
      std::string last = last_segment(c.callee);
      std::string receiver = c.callee.substr(0, c.callee.size() - std::min(c.callee.size(), last.size() + 1));
      const auto& words = knowledge.list("review.queue_words");
      bool review_queue = knowledge.contains("review.queue_calls", last) &&
                          std::any_of(words.begin(), words.end(), [&](const std::string& w) {
                            return receiver.find(w) != std::string::npos;
                          });
      if (knowledge.contains("review.calls", last) || review_queue)
        facts.review.push_back({f.path, c.range.line, fmt::format("{} at {}", c.callee, location(f, c.range.line))});
      for (const auto& a : knowledge.list("review.args"))
        if (detect::find_argument(c.args, a))
          facts.review.push_back({f.path, c.range.line, fmt::format("{}= at {}", a, location(f, c.range.line))});
      // SDK instrumentation at start-up: OpenAIInstrumentor().instrument(), logfire.instrument_openai(), ...
      if (!knowledge.contains("tracing.instrumentation_calls", last) && !knowledge.contains("tracing.instrumentation_calls", c.callee))
        continue;
      index::Resolution r = resolver.resolve_path({fi, c.function, c.class_name, c.range.start_byte}, c.callee);
      bool from_tracing = std::any_of(modules.begin(), modules.end(), [&](const std::string& m) {
        return r.resolved && (r.canonical == m || r.canonical.starts_with(m + ".") || r.canonical.starts_with(m + "/"));
      });
      if (from_tracing)
        facts.tracing.push_back({f.path, c.range.line, fmt::format("LLM SDK instrumented at start-up: {}() at {}", c.callee, location(f, c.range.line))});
    }
    for (const auto& imp : f.imports) {
      const auto& exporters = knowledge.list("tracing.span_export_modules");
      if (std::any_of(exporters.begin(), exporters.end(),
                      [&](const std::string& m) { return imp.module == m || imp.module.starts_with(m + "."); })) {
        facts.span_export.push_back({f.path, imp.range.line, fmt::format("spans exported through {} ({})", imp.module,
                                                                          location(f, imp.range.line))});
        break;
      }
    }
    // os.environ["LANGSMITH_TRACING"] = "true" in code (notebooks do this).
    for (const auto& b : f.bindings)
      for (const auto& var : knowledge.list("tracing.langchain_env_vars"))
        if (b.target.find("[" + var + "]") != std::string::npos && b.value.kind == Value::Kind::String && !b.value.text.empty() &&
            b.value.text != "false")
          facts.langchain_tracing.push_back({f.path, b.range.line, fmt::format("{} set at {}", var, location(f, b.range.line))});
  }
  for (const auto& e : env)
    if (knowledge.contains("tracing.langchain_env_vars", e.key) && !e.value.empty() && e.value != "false")
      facts.langchain_tracing.push_back({e.file, e.line, fmt::format("{} set in {}:{}", e.key, e.file, e.line)});
  auto order = [](const Evidence& a, const Evidence& b) { return std::tie(a.file, a.line, a.note) < std::tie(b.file, b.line, b.note); };
  std::sort(facts.tracing.begin(), facts.tracing.end(), order);
  std::sort(facts.langchain_tracing.begin(), facts.langchain_tracing.end(), order);
  std::sort(facts.span_export.begin(), facts.span_export.end(), order);
  std::sort(facts.review.begin(), facts.review.end(), order);
  return facts;
}

void judge_sites(std::vector<detect::DetectedCall>& sites, const index::ProjectIndex& index,
                 const index::Resolver& shared, const index::CallGraph& graph,
                 const rules::Knowledge& knowledge, const ProjectFacts& facts, unsigned jobs) {
  // Verdicts land beside the sites and are moved in afterwards: checks read other sites while
  // they run, so no site changes until all are judged.
  std::vector<std::map<std::string, CheckResult>> verdicts(sites.size());
  parallel_for(
      sites.size(), jobs, [&] { return index::Resolver(shared, index::ResolverBudget::unlimited()); },
      [&](const index::Resolver& resolver, size_t i) {
        resolver.clear_overlay();
        CheckInput in{sites[i], sites, index, resolver, graph, knowledge, facts};
        for (const auto& check : site_checks()) verdicts[i][std::string(check.key)] = check.judge(in);
      });
  for (size_t i = 0; i < sites.size(); ++i) sites[i].site.checks = std::move(verdicts[i]);
}

CheckResult judge_provider_concentration(const std::vector<detect::DetectedCall>& sites) {
  std::set<std::string> providers;
  const detect::DetectedCall* first = nullptr;
  bool all_fallback = true;
  for (const auto& s : sites) {
    if (!generates_text(s.site)) continue;
    if (!first) first = &s;
    providers.insert(s.site.provider);
    auto it = s.site.checks.find("fallback");
    if (it == s.site.checks.end() || it->second.status != CheckStatus::Pass) all_fallback = false;
  }
  if (!first) return not_applicable({"", 0, "no generation call sites"});
  providers.erase("unknown");
  if (providers.size() > 1)
    return pass({{first->site.file, first->site.line, fmt::format("generation depends on {} providers", providers.size())}});
  if (all_fallback) return pass({{first->site.file, first->site.line, "every generation call site has a fallback"}});
  return fail({first->site.file, first->site.line,
               fmt::format("every generation call depends on {} and not every site has a fallback",
                           providers.empty() ? std::string("one unidentified provider") : *providers.begin())});
}

}  // namespace gapmap::checks
