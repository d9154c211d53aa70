// GAP002: the result's finish signal is examined and acted on before the answer is used.
#include <fmt/format.h>

#include <algorithm>

#include "checks/checks.h"

namespace gapmap::checks {
namespace {

bool has_segment(std::string_view path, const std::vector<std::string>& names) {
  size_t pos = 0;
  while (pos <= path.size()) {
    size_t dot = path.find('.', pos);
    std::string_view seg = path.substr(pos, dot == std::string_view::npos ? std::string_view::npos : dot - pos);
    seg = seg.substr(0, seg.find_first_of("(["));
    if (std::find(names.begin(), names.end(), seg) != names.end()) return true;
    if (dot == std::string_view::npos) break;
    pos = dot + 1;
  }
  return false;
}

bool contains_name(const std::vector<std::string>& names, std::string_view root) {
  return std::find(names.begin(), names.end(), root) != names.end();
}

struct Verdict {
  std::optional<Evidence> acted;
  std::optional<Evidence> logged_only;
};

// Looks for a branch on the finish signal of `names` (values and stream chunks) in `scope`.
Verdict examine(const CheckInput& in, uint32_t file, SourceRange scope, ResultNames names) {
  const FileSummary& f = in.index.file(file);
  const auto& fields = in.knowledge.list("completion.finish_fields");
  const auto& markers = in.knowledge.list("completion.terminal_markers");
  // Callbacks handed to the result (stream.map(|chunk| ..), stream.on("data", e => ..)) receive
  // its elements: their parameters are chunks.
  for (const auto& c : f.calls) {
    if (!scope.contains(c.range)) continue;
    std::string root = root_segment(c.callee);
    if (!contains_name(names.values, root) && !contains_name(names.chunks, root)) continue;
    for (const auto& a : c.args) {
      if (a.value.kind != Value::Kind::Lambda) continue;
      for (const auto& fn : f.functions)
        if (fn.range.start_byte == a.value.range.start_byte)
          names.chunks.insert(names.chunks.end(), fn.params.begin(), fn.params.end());
    }
  }
  // One step of data flow: reason = r.choices[0].finish_reason; content = r.content; ...
  for (const auto& b : f.bindings) {
    if (!scope.contains(b.range) || (b.value.kind != Value::Kind::Name && b.value.kind != Value::Kind::Call)) continue;
    std::string root = root_segment(b.value.text);
    if (contains_name(names.values, root)) names.values.push_back(b.target);
    if (contains_name(names.chunks, root)) names.chunks.push_back(b.target);
  }
  Verdict v;
  for (const auto& cond : f.conditions) {
    if (!scope.contains(cond.range)) continue;
    bool examined = false;
    for (const auto& r : cond.reads) {
      std::string root = root_segment(r);
      bool ours = contains_name(names.values, root) || contains_name(names.chunks, root);
      if (!ours) continue;
      if (has_segment(r, fields) && r != root) examined = true;
      if (contains_name(names.values, r) && has_segment(r, fields)) examined = true;
      // Only asking whether the model called a tool is not a completion check.
      if (!cond.strings.empty() && std::all_of(cond.strings.begin(), cond.strings.end(), [&](const std::string& s) {
            return in.knowledge.contains("completion.tool_markers", s);
          }))
        examined = false;
      // Stream events compared with their terminal type: event.type == "message_stop".
      if (contains_name(names.chunks, root) &&
          std::any_of(cond.strings.begin(), cond.strings.end(), [&](const std::string& s) { return contains_name(markers, s); }))
        examined = true;
    }
    // A local holding the finish reason itself: reason = r.finish_reason / r.metadata.get("stop_reason").
    for (const auto& r : cond.reads)
      for (const auto& b : f.bindings) {
        if (b.target != r || !scope.contains(b.range)) continue;
        bool from_result = contains_name(names.values, root_segment(b.value.text)) || contains_name(names.chunks, root_segment(b.value.text));
        bool finish = has_segment(b.value.text, fields) ||
                      (b.value.kind == Value::Kind::Call &&
                       std::any_of(b.value.args.begin(), b.value.args.end(), [&](const Argument& a) {
                         return a.value.kind == Value::Kind::String && contains_name(fields, a.value.text);
                       }));
        if (from_result && finish && (b.value.kind == Value::Kind::Name || b.value.kind == Value::Kind::Call)) examined = true;
      }
    if (!examined) continue;
    bool acted = cond.is_assert;
    if (cond.body) {
      for (const auto& r : f.raises) acted = acted || cond.body->contains(r);
      for (const auto& fn : f.functions)
        for (const auto& ret : fn.returns) acted = acted || cond.body->contains(ret.range);
      for (const auto& c : f.calls)
        if (cond.body->contains(c.range) && !is_logging_call(in, c)) acted = true;
      for (const auto& l : f.loops) acted = acted || cond.body->contains(l.range);
      // `break` / `continue` / a bare return leave no call or value behind: a body that is not
      // only logging still decides something.
      if (!acted) {
        bool only_logging = true;
        for (const auto& c : f.calls)
          if (cond.body->contains(c.range) && !is_logging_call(in, c)) only_logging = false;
        bool any_call = std::any_of(f.calls.begin(), f.calls.end(), [&](const Call& c) { return cond.body->contains(c.range); });
        acted = !any_call && only_logging && cond.body->end_byte > cond.body->start_byte;
      }
    } else {
      acted = true;  // ternary / inline test: the value is chosen by it
    }
    Evidence e{f.path, cond.range.line, ""};
    if (acted) {
      e.note = fmt::format("finish signal checked at {} and acted on", location(f, cond.range.line));
      v.acted = e;
      return v;
    }
    e.note = fmt::format("finish signal read at {} only to log it", location(f, cond.range.line));
    v.logged_only = e;
  }
  return v;
}

}  // namespace

CheckResult judge_completion_check(const CheckInput& in) {
  const CallSite& site = in.site.site;
  if (!generates_text(site))
    return not_applicable({site.file, site.line, fmt::format("{} responses have no finish signal to check", site.api)});
  const Call& call = in.call();
  // Helpers that raise on a truncated answer instead of returning it.
  std::string method = last_segment(call.callee);
  if (in.knowledge.contains("completion.raising_methods", method) ||
      in.knowledge.contains("completion.raising_vias", site.via))
    return pass({{site.file, site.line, fmt::format("{} raises on an incomplete answer", site.via == "instructor" ? "instructor" : method + "()")}});
  if (auto m = chain_uses(in, "completion.raising_methods"))
    return pass({{site.file, site.line, fmt::format("{}() raises on an incomplete answer", *m)}});

  const FileSummary& f = in.file();
  ResultNames names = result_names(f, call, in.knowledge.list("resilience.timeout_wrappers"));
  Verdict v = examine(in, in.site.file, scope_range(f, call.function), names);
  if (v.acted) return pass({*v.acted});
  // One level up: the wrapper returns the result and its callers check it.
  uint32_t fn = index::CallGraph::named_function(f, call.function);
  bool returned = fn != kModuleScope &&
                  std::any_of(f.functions[fn].returns.begin(), f.functions[fn].returns.end(),
                              [&](const Value& r) { return r.range.start_byte == call.range.start_byte ||
                                                           std::any_of(names.values.begin(), names.values.end(), [&](const std::string& n) { return r.text == n; }); });
  if (returned) {
    const auto& callers = in.graph.callers({in.site.file, fn});
    bool all = !callers.empty();
    std::vector<Evidence> ev;
    for (const auto& ref : callers) {
      const FileSummary& cf = in.index.file(ref.file);
      const Call& cc = cf.calls[ref.call];
      Verdict cv = examine(in, ref.file, scope_range(cf, cc.function), result_names(cf, cc, in.knowledge.list("resilience.timeout_wrappers")));
      if (!cv.acted) {
        all = false;
        if (cv.logged_only) v.logged_only = cv.logged_only;
        break;
      }
      ev.push_back(*cv.acted);
    }
    if (all) return pass(std::move(ev));
  }
  // The result handed to a project helper that checks it: extract_text(result) raising on a bad finishReason.
  {
    SourceRange scope = scope_range(f, call.function);
    std::vector<std::string> all = names.values;
    all.insert(all.end(), names.chunks.begin(), names.chunks.end());
    for (const auto& c : f.calls) {
      if (!scope.contains(c.range) || c.range.start_byte <= call.range.start_byte) continue;
      for (size_t i = 0; i < c.args.size(); ++i) {
        const Value& a = c.args[i].value;
        if (a.kind != Value::Kind::Name || std::find(all.begin(), all.end(), root_segment(a.text)) == all.end()) continue;
        index::Resolution r = in.resolver.resolve_path({in.site.file, c.function, c.class_name, c.range.start_byte}, c.callee);
        if (!r.project_fn.valid()) continue;
        const FileSummary& hf = in.index.file(r.project_fn.file);
        const Function& helper = hf.functions[r.project_fn.function];
        size_t pi = i + (helper.params.size() > c.args.size() && !helper.params.empty() &&
                                 (helper.params[0] == "self" || helper.params[0] == "cls") ? 1 : 0);
        if (pi >= helper.params.size()) continue;
        ResultNames hn;
        hn.values.push_back(helper.params[pi]);
        Verdict hv = examine(in, r.project_fn.file, helper.range, hn);
        if (hv.acted) return pass({*hv.acted});
      }
    }
  }
  if (v.logged_only) return fail(*v.logged_only);
  return fail({site.file, site.line,
               site.streaming ? "the stream's terminal event (message_stop / [DONE] / final finish_reason) is never checked"
                              : "the result's finish_reason / stop_reason is never examined before the answer is used"});
}

}  // namespace gapmap::checks
