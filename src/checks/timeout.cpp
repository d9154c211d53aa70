// GAP007: an explicit timeout or deadline applies; library defaults do not count.
#include <fmt/format.h>

#include <cctype>

#include "checks/checks.h"

namespace gapmap::checks {
namespace {

bool mentions_timeout(const Value& v) {
  std::string t = v.text;
  for (auto& c : t) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return t.find("timeout") != std::string::npos || t.find("deadline") != std::string::npos;
}

// signal: AbortSignal.timeout(ms), or a controller aborted by a timer; not a client-disconnect signal.
bool signal_has_timeout(const CheckInput& in, const FoundArgument& a) {
  if (mentions_timeout(*a.value)) return true;
  if (a.value->kind == Value::Kind::Name) {
    const Call& call = in.call();
    std::string root = root_segment(a.value->text);
    if (auto bound = in.resolver.binding_value({a.file, call.function, call.class_name, call.range.start_byte}, root))
      if (mentions_timeout(*bound->first)) return true;
    // controller.abort() scheduled by setTimeout(() => controller.abort(), ms) in the same function.
    const FileSummary& f = in.index.file(a.file);
    for (const auto& c : f.calls)
      if (last_segment(c.callee) == "setTimeout" && c.range.start_byte < call.range.start_byte)
        for (const auto& arg : c.args)
          if (arg.value.kind == Value::Kind::Lambda && arg.value.text.starts_with(root + ".abort")) return true;
  }
  return false;
}

}  // namespace

CheckResult judge_timeout(const CheckInput& in) {
  const CallSite& site = in.site.site;
  for (const auto& a : arguments_named(in, in.knowledge.list("resilience.timeout_args")))
    if (is_present(a.value) && (!in.knowledge.contains("resilience.signal_args", a.name) || signal_has_timeout(in, a)))
      return pass({{in.index.file(a.file).path, a.line, fmt::format("{} set at {}:{}", a.name, in.index.file(a.file).path, a.line)}});

  if (auto it = in.facts.router.find("timeout"); it != in.facts.router.end() &&
                                                  in.knowledge.contains("router.providers", site.provider))
    return pass({it->second});
  auto at = [&](const Frame& fr) -> std::optional<Evidence> {
    const FileSummary& f = in.index.file(fr.file);
    const Call& c = f.calls[fr.call];
    // asyncio.wait_for(call, timeout) / Promise.race / a breaker with a call timeout.
    for (const auto& outer : f.calls) {
      if (!outer.range.contains(c.range)) continue;
      bool wrapper = in.knowledge.contains("resilience.timeout_wrappers", last_segment(outer.callee));
      bool with_timeout_arg = false;
      for (const auto& n : in.knowledge.list("resilience.timeout_args"))
        if (&outer != &c && is_present(detect::find_argument(outer.args, n))) with_timeout_arg = true;
      if ((wrapper && &outer != &c) || (with_timeout_arg && &outer != &c))
        return Evidence{f.path, outer.range.line, fmt::format("{} at {} bounds the call", outer.callee, location(f, outer.range.line))};
    }
    // A wrapper handed the function with a timeout option: new CircuitBreaker(fn, { timeout }).
    if (&f.calls[fr.call] != &in.call())
      for (const auto& n : in.knowledge.list("resilience.timeout_args"))
        if (is_present(detect::find_argument(c.args, n)))
          return Evidence{f.path, c.range.line, fmt::format("{}= on {} at {}", n, c.callee, location(f, c.range.line))};
    // Go: ctx, cancel := context.WithTimeout(ctx, d) handed to the call (or to the wrapper
    // that makes it) carries the deadline.
    index::Scope here{fr.file, c.function, c.class_name, c.range.start_byte};
    for (const auto& a : c.args) {
      if (!a.name.empty() || a.value.kind != Value::Kind::Name) continue;
      auto bound = in.resolver.binding_value(here, a.value.text);
      if (bound && bound->first->kind == Value::Kind::Call &&
          in.knowledge.contains("resilience.timeout_wrappers", last_segment(bound->first->text)))
        return Evidence{in.index.file(bound->second.file).path, bound->first->range.line,
                        fmt::format("{} from {} at {} bounds the call", a.value.text, bound->first->text,
                                    location(in.index.file(bound->second.file), bound->first->range.line))};
    }
    // export const maxDuration = 60: the platform ends the handler, and the call with it.
    for (const auto& b : f.bindings)
      if (b.function == kModuleScope && b.value.kind == Value::Kind::Number &&
          in.knowledge.contains("resilience.deadline_exports", b.target))
        return Evidence{f.path, b.range.line, fmt::format("{} = {} at {} bounds the handler", b.target, b.value.text, location(f, b.range.line))};
    for (const auto& w : f.withs)
      if (w.range.contains(c.range) && in.knowledge.contains("resilience.timeout_wrappers", last_segment(w.manager.text)))
        return Evidence{f.path, w.range.line, fmt::format("{} at {}", w.manager.text, location(f, w.range.line))};
    return std::nullopt;
  };
  if (auto ev = on_every_path(in, at)) return pass(std::move(*ev));
  if (in.site.file < in.facts.platform_deadline.size())
    if (const auto& d = in.facts.platform_deadline[in.site.file]) return pass({*d});
  return fail({site.file, site.line, "no explicit timeout on the request or its client (library defaults do not count)"});
}

}  // namespace gapmap::checks
