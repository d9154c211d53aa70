#include "index/call_graph.h"

#include <algorithm>
#include <set>

namespace gapmap::index {
namespace {

std::string_view last_name(std::string_view path) {
  auto dot = path.rfind('.');
  std::string_view last = dot == std::string_view::npos ? path : path.substr(dot + 1);
  return last.substr(0, last.find_first_of("(["));
}

// Functions are summarised in source order: those a lambda value starts are found by bisection.
std::vector<uint32_t> functions_starting_at(const FileSummary& f, uint32_t start_byte) {
  std::vector<uint32_t> out;
  auto it = std::lower_bound(f.functions.begin(), f.functions.end(), start_byte,
                             [](const Function& fn, uint32_t b) { return fn.range.start_byte < b; });
  for (; it != f.functions.end() && it->range.start_byte == start_byte; ++it)
    out.push_back(static_cast<uint32_t>(it - f.functions.begin()));
  return out;
}

}  // namespace

uint32_t CallGraph::named_function(const FileSummary& f, uint32_t function) {
  while (function != kModuleScope && f.functions[function].name == "<lambda>") function = f.functions[function].parent;
  return function;
}

CallGraph::CallGraph(const ProjectIndex& index, const Resolver& resolver) {
  std::set<std::string, std::less<>> names;
  for (const auto& f : index.files())
    for (const auto& fn : f.functions) names.insert(fn.name);
  for (uint32_t fi = 0; fi < index.files().size(); ++fi) {
    const FileSummary& f = index.file(fi);
    for (uint32_t ci = 0; ci < f.calls.size(); ++ci) {
      const Call& call = f.calls[ci];
      Scope scope{fi, call.function, call.class_name, call.range.start_byte};
      auto add = [&](FunctionRef target, bool by_reference) {
        callers_[{target.file, target.function}].push_back({fi, ci, by_reference});
      };
      if (names.count(last_name(call.callee))) {
        // engine.generate(..) where engine = getEngine() may be any engine it returns: each of
        // their methods is called here.
        ResolutionSet rs = resolver.resolve_path_all(scope, call.callee);
        std::set<std::pair<uint32_t, uint32_t>> seen;
        for (const auto& r : rs.alternatives)
          if (r.project_fn.valid() && seen.insert({r.project_fn.file, r.project_fn.function}).second)
            add(r.project_fn, false);
      }
      // Functions handed to this call by name, and lambdas written inline as its arguments.
      for (const auto& arg : call.args) {
        if (arg.value.kind == Value::Kind::Name && names.count(last_name(arg.value.text))) {
          Resolution r = resolver.resolve_path(scope, arg.value.text);
          if (r.project_fn.valid()) add(r.project_fn, true);
        } else {
          // Inline callbacks, also as fields of an options object: tool({ execute: async () => ... }).
          std::vector<const Value*> lambdas;
          if (arg.value.kind == Value::Kind::Lambda) lambdas.push_back(&arg.value);
          if (arg.value.kind == Value::Kind::Object)
            for (const auto& field : arg.value.args)
              if (field.value.kind == Value::Kind::Lambda) lambdas.push_back(&field.value);
          for (const Value* l : lambdas)
            for (uint32_t fn : functions_starting_at(f, l->range.start_byte)) add({fi, fn}, true);
        }
      }
    }
  }
}

const std::vector<CallRef>& CallGraph::callers(FunctionRef fn) const {
  static const std::vector<CallRef> kNone;
  auto it = callers_.find({fn.file, fn.function});
  return it == callers_.end() ? kNone : it->second;
}

}  // namespace gapmap::index
