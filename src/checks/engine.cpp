#include "checks/engine.h"

#include <fmt/format.h>

#include <algorithm>
#include <set>

#include <functional>

#include <nlohmann/json.hpp>

#include "checks/checks.h"
#include "core/parallel.h"
#include "discover/glob.h"

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

// pom.xml / build.gradle: the providers of the model starters the build depends on, comments
// (<!-- -->, //) aside. Entries of build.provider_artifacts read "artifact=provider".
std::set<std::string> build_providers(const ConfigText& config, const rules::Knowledge& knowledge) {
  std::set<std::string> out;
  if (!config.path.ends_with("pom.xml") && !config.path.ends_with(".gradle") && !config.path.ends_with(".gradle.kts"))
    return out;
  std::string text;
  text.reserve(config.text.size());
  for (size_t i = 0; i < config.text.size();) {
    if (config.text.compare(i, 4, "<!--") == 0) {
      size_t end = config.text.find("-->", i + 4);
      i = end == std::string::npos ? config.text.size() : end + 3;
    } else if (config.text.compare(i, 2, "//") == 0) {
      size_t end = config.text.find('\n', i);
      i = end == std::string::npos ? config.text.size() : end;
    } else {
      text += config.text[i++];
    }
  }
  for (const auto& entry : knowledge.list("build.provider_artifacts")) {
    auto eq = entry.find('=');
    if (eq == std::string::npos) continue;
    std::string artifact = entry.substr(0, eq);
    // The artifact as a whole word: spring-ai-starter-model-openai is not ...-openai-sdk.
    for (size_t at = text.find(artifact); at != std::string::npos; at = text.find(artifact, at + 1)) {
      char after = at + artifact.size() < text.size() ? text[at + artifact.size()] : '<';
      if (std::isalnum(static_cast<unsigned char>(after)) || after == '-' || after == '_') continue;
      out.insert(entry.substr(eq + 1));
      break;
    }
  }
  return out;
}

// vercel.json: "functions": {"api/events.ts": {"maxDuration": 60}}: each glob (relative to the
// file's folder) and where it is set.
struct FunctionDeadline {
  std::string glob;
  Evidence where;
};
std::vector<FunctionDeadline> read_vercel_functions(const ConfigText& config) {
  std::vector<FunctionDeadline> out;
  if (!config.path.ends_with("vercel.json")) return out;
  auto doc = nlohmann::json::parse(config.text, nullptr, false);
  if (!doc.is_object() || !doc.contains("functions") || !doc["functions"].is_object()) return out;
  std::string dir = config.path.find('/') == std::string::npos ? "" : config.path.substr(0, config.path.rfind('/') + 1);
  for (const auto& [glob, settings] : doc["functions"].items()) {
    if (!settings.is_object() || !settings.contains("maxDuration") || !settings["maxDuration"].is_number()) continue;
    auto at = config.text.find("\"" + glob + "\"");
    uint32_t line = 1 + static_cast<uint32_t>(std::count(config.text.begin(),
                                                         config.text.begin() + static_cast<long>(at == std::string::npos ? 0 : at), '\n'));
    out.push_back({dir + glob, {config.path, line, fmt::format("maxDuration {} for {} in {}:{} ends the function",
                                                               settings["maxDuration"].dump(), glob, config.path, line)}});
  }
  return out;
}

// Every request handler that can reach a file's code is ended by the platform: the file is a
// handler with a deadline, or every file importing it (tests aside) is covered.
void platform_deadlines(const index::ProjectIndex& index, const rules::Knowledge& knowledge,
                        const std::vector<FunctionDeadline>& vercel, ProjectFacts& facts) {
  const auto& files = index.files();
  std::vector<std::optional<Evidence>> own(files.size());
  bool any = false;
  for (uint32_t fi = 0; fi < files.size(); ++fi) {
    const FileSummary& f = files[fi];
    for (const auto& b : f.bindings)
      if (b.function == kModuleScope && b.value.kind == Value::Kind::Number &&
          knowledge.contains("resilience.deadline_exports", b.target)) {
        own[fi] = Evidence{f.path, b.range.line, fmt::format("{} = {} at {} ends every request this handler serves",
                                                             b.target, b.value.text, location(f, b.range.line))};
        break;
      }
    for (const auto& v : vercel)
      if (!own[fi] && discover::glob_match(v.glob, f.path)) own[fi] = v.where;
    any |= own[fi].has_value();
  }
  if (!any) return;
  auto is_test = [&](const std::string& path) {
    const auto& markers = knowledge.list("resilience.test_path_markers");
    return std::any_of(markers.begin(), markers.end(), [&](const std::string& m) { return path.find(m) != std::string::npos; });
  };
  std::vector<std::vector<uint32_t>> imports(files.size()), importers(files.size());
  for (uint32_t fi = 0; fi < files.size(); ++fi) {
    if (is_test(files[fi].path)) continue;
    std::set<uint32_t> targets;
    for (const auto& imp : files[fi].imports)
      if (!imp.type_only)
        if (auto t = index.module_file(fi, imp.module); t && *t != fi) targets.insert(*t);
    for (uint32_t t : targets) {
      imports[fi].push_back(t);
      importers[t].push_back(fi);
    }
  }
  // The greatest fixpoint of "has a deadline, or is imported and every importer is covered":
  // a file imported by nothing (a script, a route without maxDuration) uncovers what it imports.
  // Each file flips at most once, so this is linear in files and imports; cycles stay covered
  // unless something outside them is not.
  std::vector<char> covered(files.size());
  std::vector<uint32_t> work;
  for (uint32_t fi = 0; fi < files.size(); ++fi) {
    covered[fi] = own[fi].has_value() || !importers[fi].empty();
    if (!covered[fi]) work.push_back(fi);
  }
  while (!work.empty()) {
    uint32_t f = work.back();
    work.pop_back();
    for (uint32_t t : imports[f])
      if (covered[t] && !own[t]) {
        covered[t] = false;
        work.push_back(t);
      }
  }
  // Evidence flows from the handlers with a deadline down the imports they cover.
  facts.platform_deadline.assign(files.size(), std::nullopt);
  for (uint32_t fi = 0; fi < files.size(); ++fi)
    if (own[fi]) {
      facts.platform_deadline[fi] = own[fi];
      work.push_back(fi);
    }
  for (size_t i = 0; i < work.size(); ++i)
    for (uint32_t t : imports[work[i]])
      if (covered[t] && !facts.platform_deadline[t]) {
        facts.platform_deadline[t] = facts.platform_deadline[work[i]];
        work.push_back(t);
      }
}

}  // namespace

ProjectFacts collect_facts(const index::ProjectIndex& index, const index::Resolver& resolver, const rules::Knowledge& knowledge,
                           const std::vector<EnvSetting>& env, const std::vector<ConfigText>& configs) {
  ProjectFacts facts;
  std::vector<FunctionDeadline> vercel;
  for (const auto& c : configs) {
    read_router_config(c, knowledge, facts);
    for (auto& v : read_vercel_functions(c)) vercel.push_back(std::move(v));
  }
  platform_deadlines(index, knowledge, vercel, facts);
  std::set<std::string> starters;
  for (const auto& c : configs)
    for (const auto& p : build_providers(c, knowledge)) starters.insert(p);
  if (starters.size() == 1) facts.build_provider = *starters.begin();
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
