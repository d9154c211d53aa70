#include "index/resolver.h"

#include <algorithm>
#include <vector>

namespace gapmap::index {
namespace {

constexpr int kMaxDepth = 12;

struct Segment {
  std::string_view name;
  std::string_view suffix;  // "()", "[]", "()()", ...
};

std::vector<Segment> split_path(std::string_view path) {
  std::vector<Segment> out;
  size_t pos = 0;
  while (pos < path.size()) {
    size_t dot = path.find('.', pos);
    std::string_view seg = path.substr(pos, dot == std::string_view::npos ? std::string_view::npos : dot - pos);
    size_t s = seg.find_first_of("([");
    out.push_back({seg.substr(0, s), s == std::string_view::npos ? std::string_view{} : seg.substr(s)});
    if (dot == std::string_view::npos) break;
    pos = dot + 1;
  }
  return out;
}

}  // namespace

Resolver::Resolver(const ProjectIndex& index, std::vector<std::string> identity_wrappers)
    : index_(index), identity_wrappers_(std::move(identity_wrappers)) {}

std::vector<Resolver::Candidate> Resolver::binding_candidates(const Scope& scope, std::string_view key) const {
  std::vector<Candidate> out;
  const FileSummary& f = index_.file(scope.file);
  bool is_attr = key.find('.') != std::string_view::npos &&
                 (key.starts_with("self.") || key.starts_with("this.") || key.starts_with("cls."));
  // Function scopes from the innermost outwards: latest binding before the use first.
  for (uint32_t fn = scope.function;; fn = f.functions[fn].parent) {
    const Binding* before = nullptr;
    const Binding* after = nullptr;
    for (const auto& b : f.bindings) {
      if (b.function != fn || b.target != key) continue;
      if (fn != kModuleScope && is_attr) continue;
      if (b.range.start_byte < scope.pos || scope.pos == UINT32_MAX) before = &b;
      else if (!after) after = &b;
    }
    for (const Binding* b : {before, after})
      if (b) out.push_back({&b->value, Scope{scope.file, b->function, b->class_name, b->range.start_byte}});
    if (fn == kModuleScope) break;
  }
  if (is_attr) {
    // Instance attributes: any method of the same class may have set them.
    for (const auto& b : f.bindings)
      if (b.target == key && b.class_name == scope.class_name)
        out.push_back({&b.value, Scope{scope.file, b.function, b.class_name, b.range.start_byte}});
  }
  return out;
}

std::optional<std::pair<const Value*, Scope>> Resolver::binding_value(const Scope& scope, std::string_view name) const {
  auto c = binding_candidates(scope, name);
  if (c.empty()) return std::nullopt;
  return std::make_pair(c.front().value, c.front().scope);
}

std::optional<std::pair<const Value*, Scope>> Resolver::definition_of(const Scope& scope, std::string_view name) const {
  if (auto local = binding_value(scope, name)) return local;
  for (const auto& imp : index_.file(scope.file).imports) {
    if (imp.local != name || imp.symbol.empty() || imp.symbol == "*" || imp.symbol == "default") continue;
    if (auto target = index_.module_file(scope.file, imp.module))
      return binding_value(Scope{*target, kModuleScope, {}, UINT32_MAX}, imp.symbol);
  }
  return std::nullopt;
}

std::optional<Resolution> Resolver::lookup_name(const Scope& scope, std::string_view key, int depth) const {
  auto candidates = binding_candidates(scope, key);
  for (const auto& c : candidates) {
    Resolution r = resolve_value(c.scope, *c.value, depth + 1);
    if (r.resolved || r.local) return r;
  }
  if (!candidates.empty()) {
    Resolution r;
    r.canonical = std::string(key);
    r.bound = true;
    return r;
  }
  const FileSummary& f = index_.file(scope.file);
  if (key.find('.') != std::string_view::npos) {
    // self.method / this.method: a method of the enclosing class.
    auto dot = key.find('.');
    std::string_view head = key.substr(0, dot), member = key.substr(dot + 1);
    if ((head == "self" || head == "this" || head == "cls") && member.find('.') == std::string_view::npos &&
        !scope.class_name.empty()) {
      for (uint32_t i = 0; i < f.functions.size(); ++i)
        if (f.functions[i].class_name == scope.class_name && f.functions[i].name == member &&
            f.functions[i].qualified == scope.class_name + "." + std::string(member)) {
          Resolution r;
          r.local = true;
          r.project_fn = {scope.file, i};
          return r;
        }
    }
    return std::nullopt;
  }
  for (const auto& imp : f.imports) {
    if (imp.local != key) continue;
    if (auto target = index_.module_file(scope.file, imp.module)) {
      // An import of this project's own code: follow it to the definition.
      Resolution r;
      r.local = true;
      if (imp.symbol.empty() || imp.symbol == "*") {
        r.module = *target;  // a module object: its attributes are looked up in that file
        return r;
      }
      const std::string& sym = imp.symbol;
      if (auto fn = index_.top_function(*target, sym)) {
        r.project_fn = {*target, *fn};
        return r;
      }
      Scope mod{*target, kModuleScope, {}, UINT32_MAX};
      if (depth < kMaxDepth)
        if (auto inner = lookup_name(mod, sym, depth + 1)) return inner;
      // from app import llm: a submodule.
      if (auto sub = index_.module_file(scope.file, imp.module + (imp.module.ends_with(".") ? "" : ".") + sym)) {
        r.module = *sub;
        return r;
      }
      return r;
    }
    Resolution r;
    r.resolved = true;
    r.canonical = imp.module;
    if (!imp.symbol.empty()) r.canonical += "." + imp.symbol;
    return r;
  }
  // A function or class of this file.
  if (auto fn = index_.top_function(scope.file, key)) {
    Resolution r;
    r.local = true;
    r.project_fn = {scope.file, *fn};
    return r;
  }
  for (const auto& fn : f.functions)
    if (fn.class_name == key) {
      Resolution r;
      r.local = true;
      r.canonical = "local:" + std::string(key);
      return r;
    }
  return std::nullopt;
}

Resolution Resolver::call_result(Resolution r, const Value* call, const Scope& scope, int depth) const {
  if (r.project_fn.valid()) {
    // A factory function of the project: what it returns is what the call yields.
    const FileSummary& f = index_.file(r.project_fn.file);
    const Function& fn = f.functions[r.project_fn.function];
    Resolution fallback;
    fallback.local = true;
    for (const auto& ret : fn.returns) {
      Scope s{r.project_fn.file, r.project_fn.function, fn.class_name, ret.range.start_byte};
      Resolution out = resolve_value(s, ret, depth + 1);
      if (out.resolved) return out;
    }
    return fallback;
  }
  if (r.local) {
    r.canonical += "()";
    return r;
  }
  if (call) {
    r.ctor = call;
    r.ctor_scope = scope;
    r.steps.push_back({r.canonical, call, scope});
  }
  r.canonical += "()";
  return r;
}

Resolution Resolver::resolve_path(const Scope& scope, std::string_view path, int depth) const {
  Resolution unknown;
  unknown.canonical = std::string(path);
  if (depth > kMaxDepth || path.empty()) return unknown;
  auto segs = split_path(path);
  for (size_t k = segs.size(); k >= 1; --k) {
    bool plain = true;
    for (size_t i = 0; i + 1 < k; ++i)
      if (!segs[i].suffix.empty()) plain = false;
    if (!plain) continue;
    std::string key;
    for (size_t i = 0; i < k; ++i) {
      if (i) key += '.';
      key.append(segs[i].name);
    }
    auto found = lookup_name(scope, key, depth);
    if (!found) continue;
    Resolution r = *found;
    // llm.client...: attributes of a project module are its module-level names.
    while (r.module && k < segs.size() && segs[k - 1].suffix.empty()) {
      auto inner = lookup_name(Scope{*r.module, kModuleScope, {}, UINT32_MAX}, segs[k].name, depth + 1);
      if (!inner) break;
      r = *inner;
      ++k;
    }
    auto apply_suffix = [&](std::string_view suffix) {
      for (size_t i = 0; i < suffix.size(); i += 2) {
        if (suffix.substr(i, 2) == "()") r = call_result(r, nullptr, scope, depth);
        else r.canonical += "[]";
      }
    };
    apply_suffix(segs[k - 1].suffix);
    for (size_t i = k; i < segs.size(); ++i) {
      r.project_fn = {};
      r.canonical += '.';
      r.canonical.append(segs[i].name);
      apply_suffix(segs[i].suffix);
    }
    return r;
  }
  return unknown;
}

Resolution Resolver::resolve_value(const Scope& scope, const Value& value, int depth) const {
  Resolution unknown;
  if (depth > kMaxDepth) return unknown;
  switch (value.kind) {
    case Value::Kind::Name:
      return resolve_path(scope, value.text, depth + 1);
    case Value::Kind::Call:
    case Value::Kind::New: {
      if ((value.text == "require" || value.text == "import") && !value.args.empty() &&
          value.args[0].value.kind == Value::Kind::String) {
        Resolution r;
        r.resolved = !index_.module_file(scope.file, value.args[0].value.text);
        r.local = !r.resolved;
        r.canonical = value.args[0].value.text;
        return r;
      }
      Resolution callee = resolve_path(scope, value.text, depth + 1);
      if (!value.args.empty() && !value.args[0].value.text.empty()) {
        auto dot = value.text.rfind('.');
        std::string_view last = dot == std::string::npos ? std::string_view(value.text) : std::string_view(value.text).substr(dot + 1);
        if (std::find(identity_wrappers_.begin(), identity_wrappers_.end(), last) != identity_wrappers_.end()) {
          Resolution inner = resolve_value(scope, value.args[0].value, depth + 1);
          if (inner.resolved) {
            inner.steps.push_back({callee.canonical, &value, scope});
            return inner;
          }
        }
      }
      if (!callee.resolved && !callee.local && !callee.project_fn.valid()) {
        callee.canonical += "()";
        return callee;
      }
      return call_result(callee, &value, scope, depth);
    }
    case Value::Kind::TypeRef: {
      Resolution r = resolve_path(scope, value.text, depth + 1);
      if (r.resolved) r.canonical += "()";
      else if (r.local) r.canonical += "()";
      return r;
    }
    default:
      return unknown;
  }
}

std::optional<std::string> Resolver::resolve_string(const Scope& scope, const Value& value, int depth) const {
  if (depth > kMaxDepth) return std::nullopt;
  switch (value.kind) {
    case Value::Kind::String:
      return value.text;
    case Value::Kind::Template: {
      std::string out;
      size_t hole = 0;
      for (size_t i = 0; i < value.text.size(); ++i) {
        if (value.text.compare(i, 2, "{}") == 0 && hole < value.args.size()) {
          auto part = resolve_string(scope, value.args[hole++].value, depth + 1);
          out += part ? *part : "{}";
          ++i;
        } else {
          out += value.text[i];
        }
      }
      return out;
    }
    case Value::Kind::Name: {
      if (auto known = resolve_name_string(scope, value, depth)) return known;
      for (const auto& a : value.args)
        if (a.name == "??")
          if (auto fallback = resolve_string(scope, a.value, depth + 1)) return fallback;
      return std::nullopt;
    }
    case Value::Kind::Call: {
      // os.getenv("X", "default") / os.environ.get("X", "default"): the default says where it points.
      if ((value.text.ends_with("getenv") || value.text.ends_with("environ.get")) && value.args.size() >= 2)
        return resolve_string(scope, value.args[1].value, depth + 1);
      return std::nullopt;
    }
    default:
      return std::nullopt;
  }
}

std::optional<std::string> Resolver::resolve_name_string(const Scope& scope, const Value& value, int depth) const {
  for (const auto& c : binding_candidates(scope, value.text))
    if (auto s = resolve_string(c.scope, *c.value, depth + 1)) return s;
  // An imported constant of this project.
  for (const auto& imp : index_.file(scope.file).imports) {
    if (imp.local != value.text || imp.symbol.empty()) continue;
    if (auto target = index_.module_file(scope.file, imp.module)) {
      Value name;
      name.kind = Value::Kind::Name;
      name.text = imp.symbol;
      return resolve_string(Scope{*target, kModuleScope, {}, UINT32_MAX}, name, depth + 1);
    }
  }
  return std::nullopt;
}

}  // namespace gapmap::index
