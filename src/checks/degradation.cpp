// GAP008: on failure the code serves something useful instead of propagating the error.
#include <fmt/format.h>

#include <algorithm>

#include "checks/checks.h"

namespace gapmap::checks {

CheckResult judge_degradation(const CheckInput& in) {
  const CallSite& site = in.site.site;
  // What a handler (or a declared fallback method) serves: a cached or queued answer, or a
  // substitute value that is not an error report.
  // `declared`: a fallback method the code names for this purpose; its static message ("the
  // service is temporarily unavailable") is the degraded answer by design.
  auto serves = [&](const FileSummary& f, const SourceRange& handler, bool declared) -> std::optional<Evidence> {
    // A raise under a condition (`if (t instanceof ApiException e) throw e;`) passes some errors
    // on; the handler can still serve for the rest.
    bool raises = std::any_of(f.raises.begin(), f.raises.end(), [&](const SourceRange& r) {
      return handler.contains(r) && std::none_of(f.conditions.begin(), f.conditions.end(), [&](const Condition& c) {
               return c.body && handler.contains(c.range) && c.body->contains(r);
             });
    });
    for (const auto& other : f.calls) {
      if (!handler.contains(other.range)) continue;
      std::string last = last_segment(other.callee);
      bool cache = in.knowledge.contains("resilience.cache_calls", last) &&
                   std::any_of(in.knowledge.list("resilience.cache_receivers").begin(), in.knowledge.list("resilience.cache_receivers").end(),
                               [&](const std::string& r) { return other.callee.find(r) != std::string::npos; });
      if (cache || in.knowledge.contains("resilience.queue_calls", last))
        return Evidence{f.path, handler.line, fmt::format("handler at {} serves {} ({})", location(f, handler.line),
                                                          cache ? "a cached answer" : "later through a queue", other.callee)};
    }
    if (raises) return std::nullopt;
    for (const auto& fn : f.functions)
      for (const auto& ret : fn.returns) {
        if (!handler.contains(ret.range) || ret.kind == Value::Kind::Null || ret.kind == Value::Kind::None ||
            ret.kind == Value::Kind::TypeRef)
          continue;
        // `return Response("error", 500)` / `return "Sorry, something failed"` reports, it does not serve.
        bool reports_error =
            ((ret.kind == Value::Kind::Call || ret.kind == Value::Kind::New) &&
             (in.knowledge.contains("resilience.error_returns", last_segment(ret.text)) ||
              in.knowledge.contains("resilience.error_returns", root_segment(ret.text)) ||
              in.knowledge.contains("resilience.error_roots", root_segment(ret.text)))) ||
            (ret.kind == Value::Kind::Name && in.knowledge.contains("resilience.error_roots", root_segment(ret.text))) ||
            (ret.is_string_like() && !declared && std::any_of(in.knowledge.list("resilience.error_words").begin(),
                                                 in.knowledge.list("resilience.error_words").end(),
                                                 [&](const std::string& w) { return ret.text.find(w) != std::string::npos; }));
        // {"error": str(exc), "status": 502} is an error payload, not an answer.
        if (ret.kind == Value::Kind::Object &&
            std::any_of(ret.args.begin(), ret.args.end(), [&](const Argument& a) { return in.knowledge.contains("resilience.error_keys", a.name); }))
          reports_error = true;
        if (reports_error) continue;
        return Evidence{f.path, ret.range.line, fmt::format("handler at {} returns a substitute answer", location(f, handler.line))};
      }
    return std::nullopt;
  };
  auto at = [&](const Frame& fr) -> std::optional<Evidence> {
    const FileSummary& f = in.index.file(fr.file);
    const Call& c = f.calls[fr.call];
    for (const auto& h : f.handlers) {
      if (!h.body.contains(c.range)) continue;
      for (const auto& handler : h.handlers)
        if (auto e = serves(f, handler, false)) return e;
    }
    // @CircuitBreaker(fallbackMethod = "cached"): the declared fallback is the handler.
    if (auto fb = declared_fallback(in, fr)) {
      const FileSummary& ff = in.index.file(fb->file);
      if (auto e = serves(ff, ff.functions[fb->function].range, true)) return e;
    }
    return std::nullopt;
  };
  if (auto ev = on_every_path(in, at)) return pass(std::move(*ev));
  return fail({site.file, site.line, "a failure propagates: no handler serves a cached, static or queued answer"});
}

CheckResult judge_human_review(const CheckInput& in) {
  const CallSite& site = in.site.site;
  if (site.tier != "regulated") return not_applicable({site.file, site.line, "human review is required only in the regulated tier"});
  if (!in.facts.review.empty()) return pass({in.facts.review.front()});
  return fail({site.file, site.line, "no approval step (interrupt, review queue, send-and-wait) gates the output"});
}

}  // namespace gapmap::checks
