// GAP001: a failure of the call routes to a different provider or model.
#include <fmt/format.h>

#include <algorithm>

#include "checks/checks.h"

namespace gapmap::checks {
namespace {

bool is_alternative(const CallSite& mine, const CallSite& other) {
  // An embeddings lookup in a handler (to find a cached answer) serves no generated answer.
  if (other.api != "chat" && other.api != "completion") return false;
  if (other.provider != mine.provider) return true;
  return mine.model && other.model && *mine.model != *other.model;
}

std::string alternative_note(const CallSite& mine, const CallSite& other) {
  return other.provider != mine.provider ? fmt::format("{} {} (different provider)", other.provider, other.api)
                                         : fmt::format("{} model {} (different model)", other.provider, other.model.value_or("?"));
}

// LangGraph: the call's function is a graph node with a conditional edge to a node that calls
// another provider.
std::optional<Evidence> graph_fallback(const CheckInput& in) {
  const FileSummary& f = in.file();
  uint32_t fn = index::CallGraph::named_function(f, in.call().function);
  if (fn == kModuleScope) return std::nullopt;
  const auto& node_calls = in.knowledge.list("resilience.graph_node_calls");
  const auto& edge_calls = in.knowledge.list("resilience.graph_edge_calls");
  for (const auto& ref : in.graph.callers({in.site.file, fn})) {
    const FileSummary& gf = in.index.file(ref.file);
    const Call& add = gf.calls[ref.call];
    if (!ref.by_reference || std::find(node_calls.begin(), node_calls.end(), last_segment(add.callee)) == node_calls.end())
      continue;
    const Value* name = detect::positional_argument(add.args, 0);
    if (!name || name->kind != Value::Kind::String) continue;
    std::string builder = add.callee.substr(0, add.callee.rfind('.'));
    bool has_edge = std::any_of(gf.calls.begin(), gf.calls.end(), [&](const Call& c) {
      const Value* from = detect::positional_argument(c.args, 0);
      return std::find(edge_calls.begin(), edge_calls.end(), last_segment(c.callee)) != edge_calls.end() && from &&
             from->kind == Value::Kind::String && from->text == name->text;
    });
    if (!has_edge) continue;
    // Another node of the same graph that reaches a different provider.
    for (uint32_t i = 0; i < gf.calls.size(); ++i) {
      const Call& other = gf.calls[i];
      // Nodes of the same graph: the same builder variable, or one fluent chain (new StateGraph().addNode()...).
      bool same_graph = other.callee.substr(0, other.callee.rfind('.')) == builder || other.range.contains(add.range) ||
                        add.range.contains(other.range);
      if (i == ref.call || last_segment(other.callee) != last_segment(add.callee) || !same_graph) continue;
      const Value* target = detect::positional_argument(other.args, 1);
      if (!target || target->kind != Value::Kind::Name) continue;
      index::Resolution r = in.resolver.resolve_path({ref.file, other.function, other.class_name, other.range.start_byte}, target->text);
      if (!r.project_fn.valid()) continue;
      const FileSummary& tf = in.index.file(r.project_fn.file);
      for (const auto* s : sites_reached(in, r.project_fn.file, tf.functions[r.project_fn.function].range))
        if (is_alternative(in.site.site, s->site))
          return Evidence{gf.path, add.range.line,
                          fmt::format("graph node '{}' has a conditional edge; node {} calls {}", name->text,
                                      tf.functions[r.project_fn.function].name, alternative_note(in.site.site, s->site))};
    }
  }
  return std::nullopt;
}

}  // namespace

CheckResult judge_fallback(const CheckInput& in) {
  const CallSite& site = in.site.site;
  // Router and framework fallbacks configured on the call or the client.
  for (const auto& a : arguments_named(in, in.knowledge.list("resilience.fallback_args")))
    if (is_present(a.value) && (a.value->kind == Value::Kind::List || a.value->kind == Value::Kind::Name ||
                                a.value->kind == Value::Kind::Object))
      return pass({{in.index.file(a.file).path, a.line, fmt::format("router fallbacks configured ({}=)", a.name)}});
  for (const auto& step : in.site.steps)
    if (in.knowledge.contains("resilience.fallback_methods", last_segment(step.callee)))
      return pass({{in.index.file(step.scope.file).path, step.call->range.line,
                    fmt::format("{} wraps the model with fallbacks", last_segment(step.callee))}});

  if (auto it = in.facts.router.find("fallback"); it != in.facts.router.end() &&
                                                  in.knowledge.contains("router.providers", site.provider))
    return pass({it->second});
  auto at = [&](const Frame& fr) -> std::optional<Evidence> {
    const FileSummary& f = in.index.file(fr.file);
    const Call& c = f.calls[fr.call];
    for (const auto& h : f.handlers) {
      if (!h.body.contains(c.range)) continue;
      for (const auto& handler : h.handlers)
        for (const auto* other : sites_reached(in, fr.file, handler))
          if (is_alternative(site, other->site))
            return Evidence{f.path, handler.line,
                            fmt::format("handler at {} calls {}", location(f, handler.line), alternative_note(site, other->site))};
    }
    // @CircuitBreaker(fallbackMethod = "askClaude"): the declared fallback runs on failure.
    if (auto fb = declared_fallback(in, fr)) {
      const FileSummary& ff = in.index.file(fb->file);
      const SourceRange& body = ff.functions[fb->function].range;
      for (const auto* other : sites_reached(in, fb->file, body))
        if (is_alternative(site, other->site))
          return Evidence{ff.path, body.line, fmt::format("declared fallback {} calls {}", ff.functions[fb->function].qualified,
                                                          alternative_note(site, other->site))};
    }
    // A loop over alternative models that uses the loop variable in the request.
    for (const auto& b : f.bindings) {
      if (!b.loop || !b.range.contains(c.range)) continue;
      const Value* list = &b.value;
      if (b.value.kind == Value::Kind::Name)
        if (auto bound = in.resolver.binding_value({fr.file, b.function, b.class_name, b.range.start_byte}, b.value.text))
          list = bound->first;
      if (list->kind != Value::Kind::List || list->args.size() < 2) continue;
      bool uses = std::any_of(c.args.begin(), c.args.end(), [&](const Argument& a) {
        return root_segment(a.value.text) == b.target ||
               std::any_of(a.value.args.begin(), a.value.args.end(), [&](const Argument& x) { return root_segment(x.value.text) == b.target; });
      });
      if (uses)
        return Evidence{f.path, b.range.line, fmt::format("loop over {} alternative models at {}", list->args.size(), location(f, b.range.line))};
    }
    return std::nullopt;
  };
  if (auto ev = on_every_path(in, at)) return pass(std::move(*ev));
  if (auto g = graph_fallback(in)) return pass({*g});
  size_t callers = caller_count(in);
  return fail({site.file, site.line,
               callers ? fmt::format("no handler around the call or its {} caller{} calls another model; no router fallbacks configured",
                                     callers, callers == 1 ? "" : "s")
                       : "no handler around the call calls another model; no router fallbacks configured"});
}

}  // namespace gapmap::checks
