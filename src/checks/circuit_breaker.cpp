// GAP004: a breaker stops calling a failing endpoint.
#include <fmt/format.h>

#include <algorithm>

#include "checks/checks.h"

namespace gapmap::checks {
namespace {

bool names_breaker(const CheckInput& in, std::string_view path) {
  const auto& names = in.knowledge.list("resilience.breaker_names");
  auto lower = [](std::string s) {
    for (auto& ch : s) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    return s;
  };
  // static BREAKER / openaiBreaker / llm_circuit_breaker: names are compared ignoring case.
  std::string last = lower(last_segment(path)), root = lower(root_segment(path));
  auto has = [&](std::string_view s) {
    return std::any_of(names.begin(), names.end(), [&](const std::string& name) {
      std::string n = lower(name);
      return s == n || (s.find(n) != std::string_view::npos && n.size() >= 7);
    });
  };
  return has(last) || has(root);
}

// Is `path` bound to something a breaker library built (or a project class named like one)?
bool is_breaker_object(const CheckInput& in, const index::Scope& scope, std::string_view path) {
  if (names_breaker(in, path)) return true;
  std::string root = root_segment(path);
  if (auto bound = in.resolver.binding_value(scope, root)) {
    const Value& v = *bound->first;
    if ((v.kind == Value::Kind::Call || v.kind == Value::Kind::New) && names_breaker(in, v.text)) return true;
  }
  index::Resolution r = in.resolver.resolve_path(scope, root);
  for (const auto& m : in.knowledge.list("resilience.breaker_modules"))
    if (r.resolved && (r.canonical == m || r.canonical.starts_with(m + ".") || r.canonical.starts_with(m + "/"))) return true;
  return false;
}

}  // namespace

CheckResult judge_circuit_breaker(const CheckInput& in) {
  const CallSite& site = in.site.site;
  for (const auto& a : arguments_named(in, in.knowledge.list("resilience.router_breaker_args")))
    if (is_present(a.value))
      return pass({{in.index.file(a.file).path, a.line, fmt::format("router cooldown configured ({}=)", a.name)}});

  if (auto it = in.facts.router.find("breaker"); it != in.facts.router.end() &&
                                                  in.knowledge.contains("router.providers", site.provider))
    return pass({it->second});
  auto at = [&](const Frame& fr) -> std::optional<Evidence> {
    const FileSummary& f = in.index.file(fr.file);
    const Call& c = f.calls[fr.call];
    index::Scope scope{fr.file, c.function, c.class_name, c.range.start_byte};
    // The frame call is the breaker: breaker.call(fn), new CircuitBreaker(fn), breaker.fire(...).
    if (names_breaker(in, c.callee) ||
        (in.knowledge.contains("resilience.breaker_calls", last_segment(c.callee)) && is_breaker_object(in, scope, c.callee)))
      return Evidence{f.path, c.range.line, fmt::format("{} at {} guards the call", c.callee, location(f, c.range.line))};
    // A decorator on the function the frame runs in.
    if (const Function* fn = named_function_of(in, fr))
      for (const auto& d : fn->decorators)
        if (is_breaker_object(in, scope, d.text))
          return Evidence{f.path, fn->range.line, fmt::format("@{} on {}", d.text, fn->qualified)};
    for (const auto& w : f.withs)
      if (w.range.contains(c.range) && is_breaker_object(in, scope, w.manager.text))
        return Evidence{f.path, w.range.line, fmt::format("with {} at {}", w.manager.text, location(f, w.range.line))};
    // Inside a call to a breaker: breaker.call(lambda: client.create(...)).
    for (const auto& outer : f.calls)
      if (&outer != &c && outer.range.contains(c.range) && in.knowledge.contains("resilience.breaker_calls", last_segment(outer.callee)) &&
          is_breaker_object(in, scope, outer.callee))
        return Evidence{f.path, outer.range.line, fmt::format("{} at {} guards the call", outer.callee, location(f, outer.range.line))};
    return std::nullopt;
  };
  if (auto ev = on_every_path(in, at)) return pass(std::move(*ev));
  return fail({site.file, site.line, "no circuit breaker around the call or its wrapper"});
}

}  // namespace gapmap::checks
