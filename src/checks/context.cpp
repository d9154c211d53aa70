#include "checks/context.h"

#include <fmt/format.h>

#include <algorithm>
#include <set>

namespace gapmap::checks {

std::string location(const FileSummary& f, uint32_t line) { return fmt::format("{}:{}", f.path, line); }

std::string last_segment(std::string_view path) {
  auto dot = path.rfind('.');
  std::string_view last = dot == std::string_view::npos ? path : path.substr(dot + 1);
  return std::string(last.substr(0, last.find_first_of("([")));
}

std::string root_segment(std::string_view path) { return std::string(path.substr(0, path.find_first_of(".(["))); }

bool range_contains(const SourceRange& outer, const SourceRange& inner) { return outer.contains(inner); }

SourceRange scope_range(const FileSummary& f, uint32_t function) {
  uint32_t named = index::CallGraph::named_function(f, function);
  if (named != kModuleScope) return f.functions[named].range;
  return SourceRange{1, 1, UINT32_MAX, 1, 0, UINT32_MAX};
}

bool is_logging_call(const CheckInput& in, const Call& c) {
  const auto& names = in.knowledge.list("completion.logging_calls");
  std::string root = root_segment(c.callee), last = last_segment(c.callee);
  return std::find(names.begin(), names.end(), root) != names.end() ||
         std::find(names.begin(), names.end(), last) != names.end();
}

namespace {

// The calls that really invoke a function handed over by reference: `b = CircuitBreaker(ask)`
// is invoked wherever `b.fire(...)` / `b.call(...)` is called.
std::vector<Frame> invocations_of_wrapper(const CheckInput& in, const Frame& by_ref) {
  std::vector<Frame> out;
  const FileSummary& f = in.index.file(by_ref.file);
  const Call& c = f.calls[by_ref.call];
  for (const auto& b : f.bindings) {
    if (b.value.range.start_byte != c.range.start_byte) continue;
    for (uint32_t i = 0; i < f.calls.size(); ++i)
      if (f.calls[i].callee.starts_with(b.target + ".")) out.push_back({by_ref.file, i});
    // Exported and used elsewhere: import { claudeBreaker } from "./providers"; claudeBreaker.fire(...)
    if (b.function != kModuleScope) continue;
    for (uint32_t fi = 0; fi < in.index.files().size(); ++fi) {
      if (fi == by_ref.file) continue;
      const FileSummary& other = in.index.file(fi);
      for (const auto& imp : other.imports) {
        if (imp.symbol != b.target || in.index.module_file(fi, imp.module) != std::optional<uint32_t>(by_ref.file)) continue;
        for (uint32_t i = 0; i < other.calls.size(); ++i)
          if (other.calls[i].callee.starts_with(imp.local + ".")) out.push_back({fi, i});
      }
    }
  }
  return out;
}

bool covered(const CheckInput& in, const Frame& frame, const FramePredicate& at, int depth, int max_depth,
             std::set<std::pair<uint32_t, uint32_t>>& seen, std::vector<Evidence>& evidence) {
  if (auto e = at(frame)) {
    evidence.push_back(*e);
    return true;
  }
  if (depth >= max_depth || !seen.insert({frame.file, frame.call}).second) return false;
  const FileSummary& f = in.index.file(frame.file);
  uint32_t fn = f.calls[frame.call].function;
  // Anonymous callbacks run inside the call they are handed to (pRetry(() => ...)).
  while (fn != kModuleScope && f.functions[fn].name == "<lambda>") {
    for (const auto& ref : in.graph.callers({frame.file, fn}))
      if (auto e = at(Frame{ref.file, ref.call})) {
        evidence.push_back(*e);
        return true;
      }
    fn = f.functions[fn].parent;
  }
  if (fn == kModuleScope) return false;
  std::vector<Frame> callers;
  for (const auto& ref : in.graph.callers({frame.file, fn})) {
    Frame fr{ref.file, ref.call};
    if (ref.by_reference) {
      if (auto e = at(fr)) {  // the wrapper itself may be the evidence (a breaker, a retry)
        evidence.push_back(*e);
        return true;
      }
      auto inv = invocations_of_wrapper(in, fr);
      callers.insert(callers.end(), inv.begin(), inv.end());
    } else {
      callers.push_back(fr);
    }
  }
  if (callers.empty()) return false;
  std::vector<Evidence> collected;
  for (const auto& c : callers)
    if (!covered(in, c, at, depth + 1, max_depth, seen, collected)) return false;
  evidence.insert(evidence.end(), collected.begin(), collected.end());
  return true;
}

}  // namespace

std::optional<std::vector<Evidence>> on_every_path(const CheckInput& in, const FramePredicate& at, int max_depth) {
  std::set<std::pair<uint32_t, uint32_t>> seen;
  std::vector<Evidence> evidence;
  // Inside the URL wrappers the request goes through: what guards it there guards every caller.
  for (const auto& [file, call] : in.site.inner_calls)
    if (auto e = at(Frame{file, call})) return std::vector<Evidence>{*e};
  if (covered(in, Frame{in.site.file, in.site.call}, at, 0, max_depth, seen, evidence)) {
    std::sort(evidence.begin(), evidence.end(), [](const Evidence& a, const Evidence& b) {
      return std::tie(a.file, a.line, a.note) < std::tie(b.file, b.line, b.note);
    });
    evidence.erase(std::unique(evidence.begin(), evidence.end(),
                               [](const Evidence& a, const Evidence& b) { return a.file == b.file && a.line == b.line && a.note == b.note; }),
                   evidence.end());
    return evidence;
  }
  return std::nullopt;
}

size_t caller_count(const CheckInput& in) {
  const FileSummary& f = in.file();
  uint32_t fn = index::CallGraph::named_function(f, in.call().function);
  if (fn == kModuleScope) return 0;
  return in.graph.callers({in.site.file, fn}).size();
}

ResultNames result_names(const FileSummary& f, const Call& call, const std::vector<std::string>& wrappers) {
  ResultNames out;
  // The call may be the body of an inline callback handed to a wrapper (pRetry(() => create(...)),
  // breaker.call(lambda: create(...))): then the wrapper's result is the call's result.
  uint32_t start = call.range.start_byte;
  // const text = (await engine.generate(..)) || "{}": the value is the call, written inside
  // parentheses or an await, so its range starts a little earlier.
  for (const auto& b : f.bindings)
    if (b.value.kind == Value::Kind::Call && b.value.text == call.callee && b.value.range.start_byte < start &&
        b.value.range.end_byte >= call.range.end_byte && b.value.range.start_byte + 16 > start)
      start = b.value.range.start_byte;
  for (int hops = 0; hops < 3; ++hops) {
    bool bound = std::any_of(f.bindings.begin(), f.bindings.end(), [&](const Binding& b) { return b.value.range.start_byte == start; });
    if (bound) break;
    std::optional<uint32_t> wrapper;
    for (const auto& fn : f.functions) {
      if (fn.name != "<lambda>" || !std::any_of(fn.returns.begin(), fn.returns.end(), [&](const Value& r) { return r.range.start_byte == start; }))
        continue;
      for (const auto& c : f.calls)
        for (const auto& a : c.args)
          if (a.value.kind == Value::Kind::Lambda && a.value.range.start_byte == fn.range.start_byte) wrapper = c.range.start_byte;
    }
    // tokio::time::timeout(d, call) / asyncio.wait_for(call, t): the wrapper hands back the result.
    if (!wrapper)
      for (const auto& c : f.calls) {
        std::string_view callee = c.callee;
        auto dot = callee.rfind('.');
        std::string_view last = dot == std::string_view::npos ? callee : callee.substr(dot + 1);
        if (std::find(wrappers.begin(), wrappers.end(), last) == wrappers.end()) continue;
        for (const auto& a : c.args)
          if (a.value.range.start_byte == start && c.range.start_byte != start) wrapper = c.range.start_byte;
      }
    if (!wrapper) break;
    start = *wrapper;
  }
  for (const auto& b : f.bindings) {
    if (b.value.range.start_byte != start) continue;
    if (b.loop) out.chunks.push_back(b.target);
    else out.values.push_back(b.target);
  }
  // Iterating the response of a streaming call: `for chunk in stream` / `for await (const e of stream)`.
  for (const auto& b : f.bindings) {
    if (!b.loop || b.value.kind != Value::Kind::Name) continue;
    if (std::find(out.values.begin(), out.values.end(), b.value.text) != out.values.end() ||
        std::any_of(out.values.begin(), out.values.end(), [&](const std::string& v) { return b.value.text.starts_with(v + "."); }))
      out.chunks.push_back(b.target);
  }
  return out;
}

std::vector<const detect::DetectedCall*> sites_reached(const CheckInput& in, uint32_t file, const SourceRange& range,
                                                       int depth) {
  std::vector<const detect::DetectedCall*> out;
  for (const auto& s : in.all_sites)
    if (s.file == file && &s != &in.site && range.contains(in.index.file(file).calls[s.call].range)) out.push_back(&s);
  if (depth <= 0) return out;
  // Calls to project functions from the range: whatever model they call is reached too.
  const FileSummary& f = in.index.file(file);
  for (const auto& c : f.calls) {
    if (!range.contains(c.range)) continue;
    index::Scope scope{file, c.function, c.class_name, c.range.start_byte};
    std::vector<index::FunctionRef> targets;
    index::Resolution r = in.resolver.resolve_path(scope, c.callee);
    if (r.project_fn.valid()) {
      targets.push_back(r.project_fn);
    } else if (auto def = in.resolver.definition_of(scope, root_segment(c.callee))) {
      // gptBreaker.fire(...) where gptBreaker = new CircuitBreaker(askGpt): the wrapped function runs.
      const Value& v = *def->first;
      if (v.kind == Value::Kind::Call || v.kind == Value::Kind::New)
        for (const auto& a : v.args)
          if (a.value.kind == Value::Kind::Name)
            if (auto fr = in.resolver.resolve_path(def->second, a.value.text); fr.project_fn.valid()) targets.push_back(fr.project_fn);
    }
    for (const auto& t : targets) {
      const FileSummary& target = in.index.file(t.file);
      auto more = sites_reached(in, t.file, target.functions[t.function].range, depth - 1);
      out.insert(out.end(), more.begin(), more.end());
    }
  }
  return out;
}

}  // namespace gapmap::checks
