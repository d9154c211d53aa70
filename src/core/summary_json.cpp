#include "core/summary_json.h"

namespace gapmap {
namespace {

using nlohmann::ordered_json;

const char* kind_name(Value::Kind k) {
  switch (k) {
    case Value::Kind::None: return "none";
    case Value::Kind::String: return "string";
    case Value::Kind::Template: return "template";
    case Value::Kind::Number: return "number";
    case Value::Kind::Bool: return "bool";
    case Value::Kind::Null: return "null";
    case Value::Kind::Name: return "name";
    case Value::Kind::Call: return "call";
    case Value::Kind::New: return "new";
    case Value::Kind::Object: return "object";
    case Value::Kind::List: return "list";
    case Value::Kind::Lambda: return "lambda";
    case Value::Kind::Await: return "await";
    case Value::Kind::TypeRef: return "type";
    case Value::Kind::Other: return "other";
  }
  return "other";
}

ordered_json range_json(const SourceRange& r) { return ordered_json::array({r.line, r.column, r.end_line, r.end_column}); }

ordered_json value_json(const Value& v) {
  ordered_json j{{"kind", kind_name(v.kind)}};
  if (!v.text.empty()) j["text"] = v.text;
  if (!v.args.empty()) {
    ordered_json args = ordered_json::array();
    for (const auto& a : v.args) args.push_back(ordered_json{{"name", a.name}, {"value", value_json(a.value)}});
    j["args"] = args;
  }
  return j;
}

ordered_json args_json(const std::vector<Argument>& args) {
  ordered_json out = ordered_json::array();
  for (const auto& a : args) out.push_back(ordered_json{{"name", a.name}, {"value", value_json(a.value)}});
  return out;
}

}  // namespace

ordered_json summary_to_json(const FileSummary& s) {
  ordered_json j;
  j["path"] = s.path;
  j["language"] = s.language;
  ordered_json imports = ordered_json::array();
  for (const auto& i : s.imports)
    imports.push_back(ordered_json{{"local", i.local}, {"module", i.module}, {"symbol", i.symbol}, {"line", i.range.line}});
  j["imports"] = imports;
  ordered_json fns = ordered_json::array();
  for (const auto& f : s.functions) {
    ordered_json fj{{"qualified", f.qualified}, {"range", range_json(f.range)}, {"params", f.params}};
    if (!f.receiver.empty()) fj["receiver"] = f.receiver;
    if (!f.decorators.empty()) {
      ordered_json d = ordered_json::array();
      for (const auto& v : f.decorators) d.push_back(value_json(v));
      fj["decorators"] = d;
    }
    if (!f.returns.empty()) {
      ordered_json r = ordered_json::array();
      for (const auto& v : f.returns) r.push_back(value_json(v));
      fj["returns"] = r;
    }
    fns.push_back(fj);
  }
  j["functions"] = fns;
  ordered_json bindings = ordered_json::array();
  for (const auto& b : s.bindings)
    bindings.push_back(ordered_json{{"target", b.target},
                                    {"value", value_json(b.value)},
                                    {"line", b.range.line},
                                    {"function", b.function == kModuleScope ? -1 : static_cast<int64_t>(b.function)},
                                    {"class", b.class_name}});
  j["bindings"] = bindings;
  ordered_json calls = ordered_json::array();
  for (const auto& c : s.calls)
    calls.push_back(ordered_json{{"callee", c.callee},
                                 {"range", range_json(c.range)},
                                 {"function", c.function == kModuleScope ? -1 : static_cast<int64_t>(c.function)},
                                 {"args", args_json(c.args)}});
  j["calls"] = calls;
  ordered_json handlers = ordered_json::array();
  for (const auto& h : s.handlers) {
    ordered_json hs = ordered_json::array();
    for (const auto& r : h.handlers) hs.push_back(range_json(r));
    handlers.push_back(ordered_json{{"body", range_json(h.body)}, {"handlers", hs}});
  }
  j["handlers"] = handlers;
  ordered_json problems = ordered_json::array();
  for (const auto& p : s.problems) problems.push_back(ordered_json{{"line", p.line}, {"message", p.message}});
  j["problems"] = problems;
  return j;
}

}  // namespace gapmap
