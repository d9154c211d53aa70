// GAP005: retries are bounded, back off exponentially and do not repeat side effects.
#include <fmt/format.h>

#include <algorithm>

#include "checks/checks.h"

namespace gapmap::checks {
namespace {

struct RetryFinding {
  Evidence where;
  bool bounded = false;
  bool backoff = false;
  bool fixed_wait = false;
  std::string what;
};

bool mentions(const CheckInput& in, const Value& v, std::string_view list, int depth = 0) {
  if (depth > 4) return false;
  const auto& names = in.knowledge.list(list);
  std::string last = last_segment(v.text);
  if (std::find(names.begin(), names.end(), last) != names.end()) return true;
  for (const auto& n : names)
    if (v.text.find(n) != std::string::npos) return true;
  return std::any_of(v.args.begin(), v.args.end(), [&](const Argument& a) { return mentions(in, a.value, list, depth + 1); });
}

std::optional<RetryFinding> from_decorator(const CheckInput& in, const FileSummary& f, const Function& fn, const Value& d) {
  std::string last = last_segment(d.text);
  if (!in.knowledge.contains("resilience.retry_decorators", last)) return std::nullopt;
  RetryFinding r{{f.path, fn.range.line, ""}, false, false, false, "@" + d.text};
  r.bounded = in.knowledge.contains("resilience.bounded_by_default", last);
  if (d.kind != Value::Kind::Call) return r;  // bare @retry: retries forever, immediately
  for (const auto& a : d.args) {
    if (in.knowledge.contains("resilience.retry_bound_args", a.name) && is_present(&a.value)) r.bounded = true;
    if (in.knowledge.contains("resilience.retry_backoff_args", a.name) || a.name.empty()) {
      if (mentions(in, a.value, "resilience.exponential_names")) r.backoff = true;
      if (mentions(in, a.value, "resilience.fixed_wait_names")) r.fixed_wait = true;
    }
    if (a.name == "backoff" && a.value.kind == Value::Kind::Number && a.value.text != "1") r.backoff = true;  // retry lib
  }
  return r;
}

std::optional<RetryFinding> from_wrapper_call(const CheckInput& in, const FileSummary& f, const Call& c) {
  if (!in.knowledge.contains("resilience.retry_wrappers", last_segment(c.callee))) return std::nullopt;
  // p-retry, async-retry and friends default to a bounded exponential schedule.
  RetryFinding r{{f.path, c.range.line, ""}, true, true, false, c.callee + "(...)"};
  for (const auto& a : c.args)
    for (const auto& field : a.value.args) {
      if (field.name == "factor" && field.value.text == "1") r.backoff = false;
      if ((field.name == "retries" || field.name == "forever") && field.value.text == "Infinity") r.bounded = false;
      if (field.name == "forever" && field.value.text == "true") r.bounded = false;
    }
  return r;
}

// A loop that catches the call's failure and goes round again.
std::optional<RetryFinding> from_loop(const CheckInput& in, const FileSummary& f, const Call& c) {
  // `for attempt in Retrying(stop=..., wait=...): with attempt:` is tenacity's iterator form.
  for (const auto& b : f.bindings) {
    if (!b.loop || !b.range.contains(c.range) || b.value.kind != Value::Kind::Call ||
        !in.knowledge.contains("resilience.retry_wrappers", last_segment(b.value.text)))
      continue;
    Function pseudo;
    pseudo.range = b.range;
    Value as_decorator = b.value;
    as_decorator.text = "retry";
    if (auto r = from_decorator(in, f, pseudo, as_decorator)) {
      r->what = b.value.text + "(...) loop";
      return r;
    }
  }
  for (const auto& loop : f.loops) {
    if (!loop.range.contains(c.range)) continue;
    // Walking a list of alternative models is a fallback, not a retry.
    bool over_models = std::any_of(f.bindings.begin(), f.bindings.end(), [&](const Binding& b) {
      return b.loop && b.range == loop.range && std::any_of(c.args.begin(), c.args.end(), [&](const Argument& a) {
               return root_segment(a.value.text) == b.target ||
                      std::any_of(a.value.args.begin(), a.value.args.end(), [&](const Argument& x) { return root_segment(x.value.text) == b.target; });
             });
    });
    if (over_models) continue;
    bool caught = std::any_of(f.handlers.begin(), f.handlers.end(), [&](const HandlerRegion& h) {
      return loop.range.contains(h.body) && h.body.contains(c.range);
    });
    // Go: resp, err = client.Do(req), a few lines of logging, then `if err != nil { sleep }`:
    // a test of the error later in the loop decides whether it goes round again.
    if (!caught)
      caught = std::any_of(f.conditions.begin(), f.conditions.end(), [&](const Condition& cond) {
        if (!loop.range.contains(cond.range) || cond.range.start_byte < c.range.end_byte) return false;
        return std::any_of(cond.reads.begin(), cond.reads.end(), [&](const std::string& r) {
          return in.knowledge.contains("resilience.error_roots", r);
        });
      });
    if (!caught) continue;
    RetryFinding r{{f.path, loop.range.line, ""}, !loop.unbounded, false, false,
                   loop.unbounded ? "while-true retry loop" : "retry loop"};
    for (const auto& s : f.calls) {
      if (!loop.range.contains(s.range) || !in.knowledge.contains("resilience.sleep_calls", last_segment(s.callee)) ||
          (!in.knowledge.contains("resilience.sleep_calls", s.callee) && last_segment(s.callee) != "sleep" &&
           last_segment(s.callee) != "Sleep"))
        continue;
      const Value* arg = detect::positional_argument(s.args, 0);
      if (!arg) continue;
      bool jittered = std::any_of(in.knowledge.list("resilience.jitter_words").begin(), in.knowledge.list("resilience.jitter_words").end(),
                                  [&](const std::string& w) { return arg->text.find(w) != std::string::npos; });
      if (jittered) {
        r.backoff = true;  // a randomised wait spreads retries as well as a growing one
      } else if (arg->kind == Value::Kind::Number) {
        r.fixed_wait = true;
      } else if (arg->text.find("**") != std::string::npos || arg->text.find("pow") != std::string::npos ||
                 arg->text.find("<<") != std::string::npos || arg->text.find("backoff") != std::string::npos ||
                 arg->text.find("expo") != std::string::npos || arg->text.find("* 2") != std::string::npos ||
                 arg->text.find("2 *") != std::string::npos) {
        r.backoff = true;
      } else if (arg->kind == Value::Kind::Name) {
        // delay = delay * 2, or delay = random.randint(10, 30), inside the loop
        for (const auto& b : f.bindings) {
          if (b.target != arg->text || !loop.range.contains(b.range)) continue;
          bool grows = b.value.text.find('*') != std::string::npos;
          bool random = std::any_of(in.knowledge.list("resilience.jitter_words").begin(), in.knowledge.list("resilience.jitter_words").end(),
                                    [&](const std::string& w) { return b.value.text.find(w) != std::string::npos; });
          if (grows || random) r.backoff = true;
        }
        if (!r.backoff) r.fixed_wait = true;
      }
    }
    return r;
  }
  return std::nullopt;
}

// Writes, sends or charges inside the retried scope (a function body, a loop, a callback) without
// an idempotency key; also one call deep into project functions the scope calls.
std::optional<Evidence> side_effect(const CheckInput& in, uint32_t file, const SourceRange& scope, int depth = 1) {
  const FileSummary& f = in.index.file(file);
  for (const auto& c : f.calls) {
    if (!scope.contains(c.range) || c.range.start_byte == in.call().range.start_byte || is_logging_call(in, c)) continue;
    if (depth > 0) {
      index::Resolution r = in.resolver.resolve_path({file, c.function, c.class_name, c.range.start_byte}, c.callee);
      if (r.project_fn.valid())
        if (auto e = side_effect(in, r.project_fn.file, in.index.file(r.project_fn.file).functions[r.project_fn.function].range, depth - 1))
          return e;
    }
    if (!in.knowledge.contains("resilience.side_effect_calls", last_segment(c.callee))) continue;
    if (std::count(c.callee.begin(), c.callee.end(), '.') == 0) continue;  // a bare helper name says little
    bool is_site = std::any_of(in.all_sites.begin(), in.all_sites.end(), [&](const detect::DetectedCall& s) {
      return s.file == file && f.calls[s.call].range.start_byte == c.range.start_byte;
    });
    if (is_site) continue;
    bool keyed = std::any_of(in.knowledge.list("resilience.idempotency_args").begin(), in.knowledge.list("resilience.idempotency_args").end(),
                             [&](const std::string& k) { return detect::find_argument(c.args, k) != nullptr; });
    if (!keyed) return Evidence{f.path, c.range.line, fmt::format("{} at {}", c.callee, location(f, c.range.line))};
  }
  return std::nullopt;
}

}  // namespace

CheckResult judge_retry_safety(const CheckInput& in) {
  const CallSite& site = in.site.site;
  std::vector<RetryFinding> retries;
  std::vector<Evidence> side_effects;
  // Walk the call and its wrappers' callers (any path): every retry found must be safe.
  auto at = [&](const Frame& fr) -> std::optional<Evidence> {
    const FileSummary& f = in.index.file(fr.file);
    const Call& c = f.calls[fr.call];
    auto add_wrapper = [&](const Call& w) {
      auto r = from_wrapper_call(in, f, w);
      if (!r) return;
      retries.push_back(*r);
      for (const auto& a : w.args) {
        if (a.value.kind == Value::Kind::Lambda) {
          if (auto s = side_effect(in, fr.file, a.value.range)) side_effects.push_back(*s);
        } else if (a.value.kind == Value::Kind::Name) {
          index::Resolution target = in.resolver.resolve_path({fr.file, w.function, w.class_name, w.range.start_byte}, a.value.text);
          if (target.project_fn.valid())
            if (auto s = side_effect(in, target.project_fn.file,
                                     in.index.file(target.project_fn.file).functions[target.project_fn.function].range))
              side_effects.push_back(*s);
        }
      }
    };
    add_wrapper(c);
    for (const auto& outer : f.calls)
      if (&outer != &c && outer.range.contains(c.range)) add_wrapper(outer);
    // op := func() error { ... the call ... }; backoff.Retry(op, b): the wrapper takes the
    // function literal through a local.
    for (const auto& w : f.calls) {
      if (&w == &c || w.range.contains(c.range)) continue;
      for (const auto& a : w.args) {
        if (a.value.kind != Value::Kind::Name) continue;
        auto bound = in.resolver.binding_value({fr.file, w.function, w.class_name, w.range.start_byte}, a.value.text);
        if (bound && bound->second.file == fr.file && bound->first->kind == Value::Kind::Lambda &&
            bound->first->range.contains(c.range)) {
          add_wrapper(w);
          break;
        }
      }
    }
    if (auto l = from_loop(in, f, c)) {
      retries.push_back(*l);
      for (const auto& loop : f.loops)
        if (loop.range.line == l->where.line && loop.range.contains(c.range))
          if (auto s = side_effect(in, fr.file, loop.range, 0)) side_effects.push_back(*s);
    }
    if (const Function* fn = named_function_of(in, fr)) {
      for (const auto& d : fn->decorators)
        if (auto r = from_decorator(in, f, *fn, d)) {
          retries.push_back(*r);
          if (auto s = side_effect(in, fr.file, fn->range)) side_effects.push_back(*s);
        }
    }
    return std::nullopt;  // keep walking every path
  };
  on_every_path(in, at);

  for (const auto& r : retries) {
    Evidence e = r.where;
    if (!r.bounded) {
      e.note = fmt::format("{} at {}:{} has no attempt or time limit", r.what, e.file, e.line);
      return fail(e);
    }
    if (r.fixed_wait || !r.backoff) {
      e.note = fmt::format("{} at {}:{} retries {} instead of backing off exponentially", r.what, e.file, e.line,
                           r.fixed_wait ? "with a fixed wait" : "immediately");
      return fail(e);
    }
  }
  if (!side_effects.empty()) {
    Evidence e = side_effects.front();
    e.note = "retried scope has a side effect without an idempotency key: " + e.note;
    return fail(e);
  }
  if (retries.empty()) {
    if (in.knowledge.contains("resilience.immediate_retry_vias", site.via))
      for (const auto& a : arguments_named(in, in.knowledge.list("resilience.sdk_retry_args")))
        if (is_present(a.value))
          return fail({in.index.file(a.file).path, a.line,
                       fmt::format("{} retries ({}=) re-ask immediately, with no backoff", site.via, a.name)});
    for (const auto& a : arguments_named(in, in.knowledge.list("resilience.sdk_retry_args")))
      if (a.value->kind == Value::Kind::Number || a.value->kind == Value::Kind::Name)
        return pass({{in.index.file(a.file).path, a.line, fmt::format("SDK built-in retries ({}=), bounded with backoff", a.name)}});
    return pass({{site.file, site.line, "no retry around the call (SDK built-in retries are bounded with backoff)"}});
  }
  std::vector<Evidence> ev;
  for (const auto& r : retries) {
    Evidence e = r.where;
    e.note = fmt::format("{} is bounded and backs off exponentially", r.what);
    if (std::none_of(ev.begin(), ev.end(), [&](const Evidence& x) { return x.file == e.file && x.line == e.line; })) ev.push_back(e);
  }
  return pass(std::move(ev));
}

}  // namespace gapmap::checks
