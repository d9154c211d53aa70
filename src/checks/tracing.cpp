// GAP006: the call is traced (span, instrumented client, tracing decorator, project-wide setup).
#include <fmt/format.h>

#include <algorithm>

#include "checks/checks.h"

namespace gapmap::checks {
namespace {

bool file_imports_tracing(const CheckInput& in, const FileSummary& f) {
  for (const auto& imp : f.imports)
    for (const auto& m : in.knowledge.list("tracing.modules"))
      if (imp.module == m || imp.module.starts_with(m + ".") || imp.module.starts_with(m + "/")) return true;
  return false;
}

}  // namespace

CheckResult judge_tracing(const CheckInput& in) {
  const CallSite& site = in.site.site;
  for (const auto& a : arguments_named(in, in.knowledge.list("tracing.call_args"))) {
    if (!is_present(a.value)) continue;
    if (a.name == "experimental_telemetry") {
      const Value* enabled = detect::find_argument(a.value->args, "isEnabled");
      if (enabled && enabled->text == "false") continue;
    }
    if (a.name == "metadata") continue;  // metadata alone traces nothing
    return pass({{in.index.file(a.file).path, a.line, fmt::format("{} set on the request", a.name)}});
  }
  for (const auto& step : in.site.steps)
    if (in.knowledge.contains("tracing.client_wrappers", last_segment(step.callee)))
      return pass({{in.index.file(step.scope.file).path, step.call->range.line,
                    fmt::format("client instrumented by {}()", last_segment(step.callee))}});
  for (const auto& step : in.site.steps)
    for (const auto& a : step.call->args)
      if (a.name == "base_url" || a.name == "baseURL")
        if (auto url = in.resolver.resolve_string(step.scope, a.value))
          for (const auto& host : in.knowledge.list("tracing.gateway_hosts"))
            if (url->find(host) != std::string::npos)
              return pass({{in.index.file(step.scope.file).path, step.call->range.line, fmt::format("traced by the {} gateway", host)}});

  auto at = [&](const Frame& fr) -> std::optional<Evidence> {
    const FileSummary& f = in.index.file(fr.file);
    const Call& c = f.calls[fr.call];
    bool traced_file = file_imports_tracing(in, f) || !in.facts.span_export.empty();
    if (const Function* fn = named_function_of(in, fr))
      for (const auto& d : fn->decorators)
        if (in.knowledge.contains("tracing.decorators", last_segment(d.text)) && traced_file)
          return Evidence{f.path, fn->range.line, fmt::format("@{} on {}", d.text, fn->qualified)};
    // ctx, span := tracer.Start(ctx, "llm.answer"); defer span.End(): a span started earlier in
    // the same function covers what follows it.
    if (traced_file)
      for (const auto& b : f.bindings)
        if (b.value.kind == Value::Kind::Call && b.range.start_byte < c.range.start_byte &&
            b.function == c.function && c.function != kModuleScope &&
            in.knowledge.contains("tracing.span_calls", last_segment(b.value.text)) &&
            in.knowledge.contains("tracing.span_bindings", b.target))
          return Evidence{f.path, b.range.line, fmt::format("span {} started at {}", b.value.text, location(f, b.range.line))};
    for (const auto& w : f.withs)
      if (w.range.contains(c.range) && in.knowledge.contains("tracing.span_calls", last_segment(w.manager.text)))
        return Evidence{f.path, w.range.line, fmt::format("span {} at {}", w.manager.text, location(f, w.range.line))};
    // tracer.startActiveSpan("x", async (span) => { ... the call ... })
    for (const auto& outer : f.calls)
      if (&outer != &c && outer.range.contains(c.range) && in.knowledge.contains("tracing.span_calls", last_segment(outer.callee)) &&
          traced_file)
        return Evidence{f.path, outer.range.line, fmt::format("span {} at {}", outer.callee, location(f, outer.range.line))};
    return std::nullopt;
  };
  if (auto ev = on_every_path(in, at)) return pass(std::move(*ev));
  if (!in.facts.tracing.empty()) return pass({in.facts.tracing.front()});
  // Environment set in a notebook lives in that notebook's kernel only; elsewhere it is project-wide.
  if (in.knowledge.contains("tracing.langchain_vias", site.via))
    for (const auto& e : in.facts.langchain_tracing)
      if (!e.file.ends_with(".ipynb") || e.file == site.file) return pass({e});
  return fail({site.file, site.line, "no span, tracing decorator, instrumented client or project-wide LLM tracing setup"});
}

}  // namespace gapmap::checks
