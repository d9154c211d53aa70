// GAP003: structured output is validated before it flows downstream.
#include <fmt/format.h>

#include <algorithm>

#include "checks/checks.h"

namespace gapmap::checks {
namespace {

bool reads_any(const Value& v, const std::vector<std::string>& names, int depth = 0) {
  if (depth > 4) return false;
  // response.getOutput().getText() reads response as much as response.text does.
  if ((v.kind == Value::Kind::Name || v.kind == Value::Kind::Other || v.kind == Value::Kind::Call) &&
      std::find(names.begin(), names.end(), root_segment(v.text)) != names.end())
    return true;
  return std::any_of(v.args.begin(), v.args.end(), [&](const Argument& a) { return reads_any(a.value, names, depth + 1); });
}

bool strict_json_schema(const Value* format) {
  // response_format={"type": "json_schema", "json_schema": {..., "strict": True}}
  if (!format || format->kind != Value::Kind::Object) return false;
  const Value* type = detect::find_argument(format->args, "type");
  const Value* schema = detect::find_argument(format->args, "json_schema");
  if (!type || type->text != "json_schema" || !schema) return false;
  const Value* strict = detect::find_argument(schema->args, "strict");
  return strict && strict->kind == Value::Kind::Bool && strict->text == "true";
}

// How the result (its names in `rn`, bound after `from`) is used in `scope`: parsed or read as
// structured data, and validated.
struct Consumption {
  std::optional<Evidence> structured;
  std::optional<CheckResult> verdict;  // set when validation decides it (a pass)
  bool returned = false;               // the function hands the result (or data from it) back
  std::vector<std::string> names;      // the result's names, with what was bound from them
};

Consumption consume(const CheckInput& in, uint32_t file, SourceRange scope, const ResultNames& rn, uint32_t from,
                    const SourceRange& site_range) {
  const FileSummary& f = in.index.file(file);
  Consumption out;
  auto validated = [&](std::vector<Evidence> ev) {
    out.verdict = pass(std::move(ev));
    return out;
  };
  std::vector<std::string> names = rn.values;
  names.insert(names.end(), rn.chunks.begin(), rn.chunks.end());
  for (int round = 0; round < 2; ++round)
    for (const auto& b : f.bindings)
      // text = response.first_text(): a method of the result yields data from it, as a field does.
      if (scope.contains(b.range) && b.range.start_byte > from &&
          (b.value.kind == Value::Kind::Name || b.value.kind == Value::Kind::Call) &&
          (std::find(names.begin(), names.end(), root_segment(b.value.text)) != names.end() ||
           (b.value.kind == Value::Kind::Call && reads_any(b.value, names))) &&
          std::find(names.begin(), names.end(), b.target) == names.end())
        names.push_back(b.target);
  out.names = names;
  std::optional<Evidence> structured;
  std::vector<std::string> parsed;  // names holding parsed JSON
  if (file == in.site.file && from == in.call().range.start_byte)
    for (const auto& a : arguments_named(in, in.knowledge.list("validation.structured_args")))
      if (is_present(a.value) && a.file == in.site.file && a.line >= site_range.line && a.line <= site_range.end_line)
        structured = Evidence{in.site.site.file, a.line, fmt::format("structured output requested ({}=)", a.name)};
  for (const auto& c : f.calls) {
    if (!scope.contains(c.range) || c.range.start_byte < from) continue;
    bool parser = in.knowledge.contains("validation.json_parsers", c.callee) || in.knowledge.contains("validation.json_parsers", last_segment(c.callee));
    bool on_result = std::any_of(c.args.begin(), c.args.end(), [&](const Argument& a) { return reads_any(a.value, names); }) ||
                     c.range.contains(site_range);
    // json.loads(response["body"].read()): decoding the API's envelope, not the model's answer.
    bool envelope = std::any_of(c.args.begin(), c.args.end(), [&](const Argument& a) {
      if (!reads_any(a.value, names) || a.value.kind != Value::Kind::Call) return false;
      std::string_view t = a.value.text;
      size_t pos = t.find('.');
      while (pos != std::string_view::npos) {
        size_t next = t.find('.', pos + 1);
        std::string_view seg = t.substr(pos + 1, next == std::string_view::npos ? std::string_view::npos : next - pos - 1);
        seg = seg.substr(0, seg.find_first_of("(["));
        if (in.knowledge.contains("validation.envelope_reads", seg)) return true;
        pos = next;
      }
      return false;
    });
    if (envelope) continue;
    if (parser && on_result) {
      // serde_json::from_str::<Answer>(text): parsing into a typed struct rejects missing and
      // ill-typed fields; into serde_json::Value it checks nothing.
      const Value* target = detect::find_argument(c.args, kParsedTypeArg);
      // Java passes the class: objectMapper.readValue(text, Answer.class), .entity(Answer.class).
      for (const auto& a : c.args)
        if (!target && a.name.empty() && a.value.kind == Value::Kind::TypeRef) target = &a.value;
      if (!target)
        for (const auto& b : f.bindings)
          if (b.value.range.start_byte == c.range.start_byte) target = detect::find_argument(b.value.args, kParsedTypeArg);
      if (target && target->kind == Value::Kind::TypeRef &&
          !in.knowledge.contains("validation.untyped_targets", last_segment(target->text)))
        return validated({{f.path, c.range.line,
                      fmt::format("{} parses the output into {} at {}", c.callee, target->text, location(f, c.range.line))}});
      structured = Evidence{f.path, c.range.line, fmt::format("output parsed as JSON at {}", location(f, c.range.line))};
      for (const auto& b : f.bindings)
        if (b.value.range.start_byte == c.range.start_byte) parsed.push_back(b.target);
      // json.Unmarshal(data, &out): the parse lands in its output argument.
      for (size_t i = 1; i < c.args.size(); ++i)
        if (c.args[i].name.empty() && c.args[i].value.kind == Value::Kind::Name) parsed.push_back(c.args[i].value.text);
    }
  }
  for (const auto& cond : f.conditions)
    if (scope.contains(cond.range))
      for (const auto& r : cond.reads)
        if (std::find(names.begin(), names.end(), root_segment(r)) != names.end() &&
            std::any_of(in.knowledge.list("validation.structured_reads").begin(), in.knowledge.list("validation.structured_reads").end(),
                        [&](const std::string& s) { return r.find("." + s) != std::string::npos; }))
          if (!structured) structured = Evidence{f.path, cond.range.line, "tool-call output read"};
  // Validating the raw text directly: Model.model_validate_json(text), Schema.parse(...).
  for (const auto& c : f.calls) {
    if (!scope.contains(c.range) || c.range.start_byte < from) continue;
    if (!in.knowledge.contains("validation.validators", last_segment(c.callee)) ||
        in.knowledge.contains("validation.json_parsers", c.callee) || root_segment(c.callee) == "assert")
      continue;
    bool reads = std::any_of(c.args.begin(), c.args.end(), [&](const Argument& a) { return reads_any(a.value, names); });
    if (reads && !in.knowledge.contains("completion.logging_calls", root_segment(c.callee)))
      return validated({{f.path, c.range.line, fmt::format("{} validates the output at {}", c.callee, location(f, c.range.line))}});
  }
  out.structured = structured;
  for (const auto& fn : f.functions)
    if (fn.range.contains(site_range))
      for (const auto& r : fn.returns)
        if (reads_any(r, names) || r.range.start_byte == from) out.returned = true;
  if (!structured) return out;

  // A validator applied to the parsed data (or the raw output) after the call.
  std::vector<std::string> watched = parsed;
  watched.insert(watched.end(), names.begin(), names.end());
  for (const auto& c : f.calls) {
    if (!scope.contains(c.range) || c.range.start_byte < from) continue;
    std::string last = last_segment(c.callee);
    bool validator = in.knowledge.contains("validation.validators", last) &&
                     !in.knowledge.contains("validation.json_parsers", c.callee);  // JSON.parse parses, zod's .parse validates
    bool reads = std::any_of(c.args.begin(), c.args.end(), [&](const Argument& a) { return reads_any(a.value, watched); });
    // Model(**data): a class constructed from the parsed dict validates it (Pydantic, dataclasses).
    bool splat = std::any_of(c.args.begin(), c.args.end(), [&](const Argument& a) {
      return (a.name == "**" || a.name == "...") && reads_any(a.value, watched);
    });
    bool wraps_parse = std::any_of(f.calls.begin(), f.calls.end(), [&](const Call& inner) {
      return c.range.contains(inner.range) && &inner != &c && in.knowledge.contains("validation.json_parsers", inner.callee);
    });
    if ((validator && (reads || wraps_parse)) || splat)
      return validated({{f.path, c.range.line, fmt::format("{} validates the parsed output at {}", c.callee, location(f, c.range.line))}});
  }
  // An explicit required-keys check that raises.
  for (const auto& cond : f.conditions) {
    if (!scope.contains(cond.range) || cond.range.start_byte < from || !cond.body) continue;
    bool on_parsed = std::any_of(cond.reads.begin(), cond.reads.end(), [&](const std::string& r) {
      return std::find(parsed.begin(), parsed.end(), root_segment(r)) != parsed.end();
    });
    bool raises = std::any_of(f.raises.begin(), f.raises.end(), [&](const SourceRange& r) { return cond.body->contains(r); });
    if (on_parsed && raises && !cond.strings.empty())
      return validated({{f.path, cond.range.line, fmt::format("required keys checked at {} and raises", location(f, cond.range.line))}});
  }
  return out;
}

}  // namespace

CheckResult judge_schema_validation(const CheckInput& in) {
  const CallSite& site = in.site.site;
  if (!generates_text(site))
    return not_applicable({site.file, site.line, fmt::format("{} output is not free-form model text", site.api)});
  const Call& call = in.call();
  const FileSummary& f = in.file();
  std::string method = last_segment(call.callee);

  // Requests that validate against a schema themselves.
  if (in.knowledge.contains("validation.validating_methods", method) || in.knowledge.contains("validation.validating_vias", site.via))
    return pass({{site.file, site.line, fmt::format("{} parses the answer into a schema", site.via == "instructor" ? "instructor response_model" : method + "()")}});
  if (auto m = chain_uses(in, "validation.validating_methods"))
    return pass({{site.file, site.line, fmt::format("{}() validates the output against its schema", *m)}});
  for (const auto& a : arguments_named(in, in.knowledge.list("validation.validating_args")))
    if (is_present(a.value)) return pass({{site.file, a.line, fmt::format("{}= validates the output", a.name)}});
  for (const auto& a : arguments_named(in, in.knowledge.list("validation.validating_args." + site.via)))
    if (is_present(a.value) && a.file == in.site.file && a.line >= call.range.line && a.line <= call.range.end_line)
      return pass({{site.file, a.line, fmt::format("{} validates {}= against its schema", site.via, a.name)}});
  // Tools bound to the model and run by an executor that validates their arguments.
  if (auto m = chain_uses(in, "validation.tool_binding_methods"))
    for (const auto& pf : in.index.files())
      for (const auto& c : pf.calls)
        if (in.knowledge.contains("validation.tool_executors", last_segment(c.callee)))
          return pass({{pf.path, c.range.line, fmt::format("tool calls ({}) are validated by {} at {}", *m, c.callee, location(pf, c.range.line))}});
  if (strict_json_schema(detect::find_argument(call.args, "response_format")))
    return pass({{site.file, site.line, "response_format json_schema with strict: true"}});
  bool vercel_object = std::any_of(in.knowledge.list("validation.validating_functions").begin(),
                                   in.knowledge.list("validation.validating_functions").end(),
                                   [&](const std::string& s) { return last_segment(s) == method; });
  if (vercel_object && detect::find_argument(call.args, "schema"))
    return pass({{site.file, site.line, fmt::format("{}({{ schema }}) validates the output", method)}});

  // Is the output consumed as structured data? Here, or (when the function returns it) by its callers.
  SourceRange scope = scope_range(f, call.function);
  ResultNames rn = result_names(f, call, in.knowledge.list("resilience.timeout_wrappers"));
  Consumption here = consume(in, in.site.file, scope, rn, call.range.start_byte, call.range);
  if (here.verdict) return *here.verdict;
  std::optional<Evidence> structured = here.structured;
  // The answer handed to a project helper that parses it: parseAiResponse(title, text).
  if (!structured) {
    const std::vector<std::string>& names = here.names;
    for (const auto& c : f.calls) {
      if (structured || !scope.contains(c.range) || c.range.start_byte <= call.range.start_byte) continue;
      for (size_t i = 0; i < c.args.size() && !structured; ++i) {
        if (!c.args[i].name.empty() || !reads_any(c.args[i].value, names)) continue;
        index::Resolution r = in.resolver.resolve_path({in.site.file, c.function, c.class_name, c.range.start_byte}, c.callee);
        if (!r.project_fn.valid()) continue;
        const FileSummary& hf = in.index.file(r.project_fn.file);
        const Function& helper = hf.functions[r.project_fn.function];
        size_t pi = i + (!helper.params.empty() && (helper.params[0] == "self" || helper.params[0] == "cls") ? 1 : 0);
        if (pi >= helper.params.size()) continue;
        ResultNames hn;
        hn.values.push_back(helper.params[pi]);
        Consumption inside = consume(in, r.project_fn.file, helper.range, hn, helper.range.start_byte, helper.range);
        if (inside.verdict) return *inside.verdict;
        if (inside.structured) structured = inside.structured;
      }
    }
  }
  std::optional<CheckResult> validated_by_caller;
  if (!structured && here.returned) {
    // engine.generateCommitMessage(..) returns the text; a caller JSON.parses it.
    uint32_t fn = index::CallGraph::named_function(f, call.function);
    if (fn != kModuleScope)
      for (const auto& ref : in.graph.callers({in.site.file, fn})) {
        const FileSummary& cf = in.index.file(ref.file);
        const Call& cc = cf.calls[ref.call];
        Consumption up = consume(in, ref.file, scope_range(cf, cc.function),
                                 result_names(cf, cc, in.knowledge.list("resilience.timeout_wrappers")),
                                 cc.range.start_byte, cc.range);
        if (up.structured && !up.verdict) {
          structured = up.structured;
          break;
        }
        if (up.verdict && !validated_by_caller) validated_by_caller = up.verdict;
      }
    if (!structured && validated_by_caller) return *validated_by_caller;
  }
  if (!structured) return not_applicable({site.file, site.line, "the output is used as free text"});
  Evidence e = *structured;
  e.note += "; no schema validation before use";
  return fail(e);
}

}  // namespace gapmap::checks
