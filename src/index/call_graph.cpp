#include "index/call_graph.h"

#include <set>

namespace gapmap::index {
namespace {

std::string_view last_name(std::string_view path) {
  auto dot = path.rfind('.');
  std::string_view last = dot == std::string_view::npos ? path : path.substr(dot + 1);
  return last.substr(0, last.find_first_of("(["));
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
      if (names.count(last_name(call.callee))) {
        Resolution r = resolver.resolve_path(scope, call.callee);
        if (r.project_fn.valid()) callers_[{r.project_fn.file, r.project_fn.function}].push_back({fi, ci, false});
      }
      // Functions handed to this call by name, and lambdas written inline as its arguments.
      for (const auto& arg : call.args) {
        if (arg.value.kind == Value::Kind::Name && names.count(last_name(arg.value.text))) {
          Resolution r = resolver.resolve_path(scope, arg.value.text);
          if (r.project_fn.valid()) callers_[{r.project_fn.file, r.project_fn.function}].push_back({fi, ci, true});
        } else {
          // Inline callbacks, also as fields of an options object: tool({ execute: async () => ... }).
          std::vector<const Value*> lambdas;
          if (arg.value.kind == Value::Kind::Lambda) lambdas.push_back(&arg.value);
          if (arg.value.kind == Value::Kind::Object)
            for (const auto& field : arg.value.args)
              if (field.value.kind == Value::Kind::Lambda) lambdas.push_back(&field.value);
          for (const Value* l : lambdas)
            for (uint32_t fn = 0; fn < f.functions.size(); ++fn)
              if (f.functions[fn].range.start_byte == l->range.start_byte) callers_[{fi, fn}].push_back({fi, ci, true});
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
