#include "index/resolver.h"

#include <algorithm>
#include <cctype>
#include <functional>
#include <vector>

namespace gapmap::index {
namespace {

// Strings built from templates can double per level: keep them bounded like every other fact.
constexpr size_t kMaxStringLength = 4096;

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

bool useful(const Resolution& r) { return r.resolved || r.local; }

bool same(const Resolution& a, const Resolution& b) {
  return a.canonical == b.canonical && a.resolved == b.resolved && a.local == b.local && a.bound == b.bound &&
         a.ctor == b.ctor && a.project_fn == b.project_fn && a.module == b.module;
}

// Adds one alternative, keeping the set duplicate-free and bounded.
void add(ResolutionSet& out, Resolution r) {
  for (const auto& have : out.alternatives)
    if (same(have, r)) return;
  if (out.alternatives.size() >= kMaxAlternatives) {
    out.more = true;
    return;
  }
  out.alternatives.push_back(std::move(r));
}

void merge_flags(ResolutionSet& out, const ResolutionSet& in) {
  out.more |= in.more;
  out.partial |= in.partial;
}

// When something is known, "could not tell" alternatives add nothing a caller can use.
void drop_unknown_if_known(ResolutionSet& s) {
  if (std::any_of(s.alternatives.begin(), s.alternatives.end(), useful))
    std::erase_if(s.alternatives, [](const Resolution& r) { return !useful(r); });
}

ResolutionSet partial_set() {
  ResolutionSet s;
  s.partial = true;
  return s;
}

uint64_t pack(uint32_t hi, uint32_t lo) { return (uint64_t{hi} << 32) | lo; }

}  // namespace

Resolution ResolutionSet::primary(std::string_view path) const {
  for (const auto& r : alternatives)
    if (useful(r)) return r;
  if (!alternatives.empty()) return alternatives.front();
  Resolution unknown;
  unknown.canonical = std::string(path);
  return unknown;
}

size_t Resolver::FactKeyHash::operator()(const FactKey& k) const {
  size_t h = std::hash<const void*>{}(k.ptr);
  h ^= std::hash<uint64_t>{}(k.a) + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2);
  h ^= std::hash<uint64_t>{}(k.b ^ (uint64_t(k.kind) << 56)) + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2);
  h ^= std::hash<std::string>{}(k.name) + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2);
  return h;
}

Resolver::Resolver(const ProjectIndex& index, std::vector<std::string> identity_wrappers, ResolverBudget budget)
    : index_(index), identity_wrappers_(std::move(identity_wrappers)), budget_(budget) {}

Resolver::Resolver(const Resolver& base, ResolverBudget budget)
    : index_(base.index_), identity_wrappers_(base.identity_wrappers_), budget_(budget), base_(&base) {}

void Resolver::clear_overlay() const {
  sets_.done.clear();
  names_.done.clear();
  strings_.done.clear();
}

void Resolver::begin_file() const {
  file_work_ = 0;
  exhausted_ = false;
}

bool Resolver::charge(uint64_t steps) const {
  work_ += steps;
  file_work_ += steps;
  if (file_work_ > budget_.per_file_work) exhausted_ = true;
  return !exhausted_;
}

template <typename T, typename F>
T Resolver::memoized(Memo<T> Resolver::*memo, const FactKey& key, const T& on_cycle, const T& on_budget,
                     F&& compute) const {
  if (base_)
    if (auto it = (base_->*memo).done.find(key); it != (base_->*memo).done.end()) return it->second;
  // The memos are mutable members; a pointer to member does not carry that, hence the cast.
  auto& own = const_cast<Memo<T>&>(this->*memo);
  if (auto it = own.done.find(key); it != own.done.end()) return it->second;
  // A cycle: this fact is being computed further down the stack. What the cycle would add is
  // being collected there; this frame sees nothing more from it. Remembering the results of the
  // frames in between anyway is what keeps the cost linear: inside a cycle they are a one-pass
  // approximation, made deterministic by the fixed order in which the project is queried.
  if (in_progress_.count(key)) return on_cycle;
  if (exhausted_ || height_ >= budget_.max_nesting || !charge()) {
    lowest_cut_ = 0;  // a budget or nesting cut: nothing on the stack may be remembered
    return on_budget;
  }
  uint32_t mine = ++height_;
  in_progress_.insert(key);
  uint32_t saved_cut = lowest_cut_;
  lowest_cut_ = UINT32_MAX;
  T value = compute();
  in_progress_.erase(key);
  --height_;
  bool complete = lowest_cut_ >= mine;
  if (complete) own.done.emplace(key, value);
  lowest_cut_ = std::min(saved_cut, lowest_cut_);
  return value;
}

std::vector<Resolver::Candidate> Resolver::binding_candidates(const Scope& scope, std::string_view key) const {
  std::vector<Candidate> out;
  const FileSummary& f = index_.file(scope.file);
  bool is_attr = key.find('.') != std::string_view::npos &&
                 (key.starts_with("self.") || key.starts_with("this.") || key.starts_with("cls."));
  auto push = [&](const Binding& b) {
    charge();
    out.push_back({&b.value, Scope{scope.file, b.function, b.class_name, b.range.start_byte}});
  };
  // Function scopes from the innermost outwards: latest binding before the use first.
  for (uint32_t fn = scope.function;; fn = f.functions[fn].parent) {
    if (fn == kModuleScope || !is_attr) {
      const Binding* before = nullptr;
      const Binding* after = nullptr;
      for (uint32_t bi : index_.bindings_in(scope.file, fn, key)) {
        const Binding& b = f.bindings[bi];
        if (b.range.start_byte < scope.pos || scope.pos == UINT32_MAX) before = &b;
        else if (!after) after = &b;
      }
      for (const Binding* b : {before, after})
        if (b) push(*b);
    }
    if (fn == kModuleScope) break;
  }
  if (is_attr) {
    // Instance attributes: any method of the same class may have set them (in Go, any file of
    // the package: a constructor in one file, methods in others).
    if (index_.package_files(scope.file).empty()) {
      for (uint32_t bi : index_.attribute_bindings(scope.file, scope.class_name, key)) push(f.bindings[bi]);
    } else {
      for (const auto& ref : index_.package_attributes(scope.file, scope.class_name, key)) {
        const Binding& b = index_.file(ref.file).bindings[ref.binding];
        charge();
        out.push_back({&b.value, Scope{ref.file, b.function, b.class_name, b.range.start_byte}});
      }
    }
  }
  // A declared type says what a name may hold; an assigned value says which one it holds (with
  // its constructor's base URL): values first.
  std::stable_partition(out.begin(), out.end(), [](const Candidate& c) { return c.value->kind != Value::Kind::TypeRef; });
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

std::optional<ResolutionSet> Resolver::module_name(uint32_t file, const std::string& name) const {
  FactKey key{FactKind::ModuleName, nullptr, file, 0, name};
  // A cycle through imports adds nothing; a cut budget leaves the name unknown.
  std::optional<ResolutionSet> none;
  return memoized(&Resolver::names_, key, none, none, [&] { return lookup_name(Scope{file, kModuleScope, {}, UINT32_MAX}, name); });
}

std::optional<ResolutionSet> Resolver::lookup_name(const Scope& scope, std::string_view key) const {
  auto candidates = binding_candidates(scope, key);
  if (!candidates.empty()) {
    ResolutionSet out;
    for (const auto& c : candidates) {
      ResolutionSet rs = resolve_value_all(c.scope, *c.value);
      merge_flags(out, rs);
      for (auto& r : rs.alternatives)
        if (useful(r)) add(out, std::move(r));
    }
    if (out.empty()) {
      Resolution r;
      r.canonical = std::string(key);
      r.bound = true;
      out.alternatives.push_back(std::move(r));
    }
    return out;
  }
  auto single = [](Resolution r) {
    ResolutionSet s;
    s.alternatives.push_back(std::move(r));
    return std::optional<ResolutionSet>(std::move(s));
  };
  const FileSummary& f = index_.file(scope.file);
  // Java reads a bare field name inside a method as this.field.
  if (f.language == "java" && !scope.class_name.empty() && key.find('.') == std::string_view::npos) {
    std::string field = "this." + std::string(key);
    if (!binding_candidates(scope, field).empty() ||
        index_.qualified_function(scope.file, scope.class_name + "." + std::string(key)))
      return lookup_name(scope, field);
  }
  if (key.find('.') != std::string_view::npos) {
    // self.method / this.method: a method of the enclosing class.
    auto dot = key.find('.');
    std::string_view head = key.substr(0, dot), member = key.substr(dot + 1);
    if ((head == "self" || head == "this" || head == "cls") && member.find('.') == std::string_view::npos &&
        !scope.class_name.empty()) {
      std::string qualified = scope.class_name + "." + std::string(member);
      if (auto i = index_.qualified_function(scope.file, qualified);
          i && f.functions[*i].class_name == scope.class_name && f.functions[*i].name == member) {
        Resolution r;
        r.local = true;
        r.project_fn = {scope.file, *i};
        return single(std::move(r));
      }
      // Go methods of a type may sit in any file of its package.
      if (auto m = index_.package_method(scope.file, qualified)) {
        Resolution r;
        r.local = true;
        r.project_fn = *m;
        return single(std::move(r));
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
        return single(std::move(r));
      }
      const std::string& sym = imp.symbol;
      if (auto fn = index_.top_function(*target, sym)) {
        r.project_fn = {*target, *fn};
        return single(std::move(r));
      }
      if (auto inner = module_name(*target, sym)) return inner;
      // from app import llm: a submodule.
      if (auto sub = index_.module_file(scope.file, imp.module + (imp.module.ends_with(".") ? "" : ".") + sym)) {
        r.module = *sub;
        return single(std::move(r));
      }
      return single(std::move(r));
    }
    Resolution r;
    r.resolved = true;
    r.canonical = imp.module;
    if (!imp.symbol.empty()) r.canonical += "." + imp.symbol;
    return single(std::move(r));
  }
  // A function or class of this file.
  if (auto fn = index_.top_function(scope.file, key)) {
    Resolution r;
    r.local = true;
    r.project_fn = {scope.file, *fn};
    return single(std::move(r));
  }
  if (index_.defines_class(scope.file, key)) {
    Resolution r;
    r.local = true;
    r.canonical = "local:" + std::string(key);
    return single(std::move(r));
  }
  // `from .models import *`, Rust's `pub use base::*;`: names of this project's modules that a
  // wildcard brings in (last, as the language gives explicit names precedence).
  for (const auto& imp : f.imports) {
    if (imp.symbol != "*") continue;
    if (auto target = index_.module_file(scope.file, imp.module); target && *target != scope.file)
      if (auto inner = module_name(*target, std::string(key)))
        // Only a definition counts: a module that merely imports the name (perhaps from here,
        // through a cycle) knows nothing more.
        if (std::any_of(inner->alternatives.begin(), inner->alternatives.end(), [](const Resolution& r) {
              return r.resolved || r.project_fn.valid() || r.module || !r.canonical.empty();
            }))
          return inner;
  }
  if (auto in_package = package_name(scope.file, key)) return in_package;
  // Java's import okhttp3.*; ... new Request.Builder(): with one wildcard import of a library, a
  // capitalised name found nowhere else is that library's class.
  const Import* only = nullptr;
  size_t wildcards = 0;
  for (const auto& imp : f.imports)
    if (imp.symbol == "*" && !imp.type_only && !index_.module_file(scope.file, imp.module)) {
      ++wildcards;
      only = &imp;
    }
  if (wildcards == 1 && f.language == "java" && !key.empty() && std::isupper(static_cast<unsigned char>(key.front()))) {
    Resolution r;
    r.resolved = true;
    r.canonical = only->module + "." + std::string(key);
    return single(std::move(r));
  }
  return std::nullopt;
}

std::optional<ResolutionSet> Resolver::instance_attribute(const std::string& class_name, const std::string& attribute) const {
  FactKey key{FactKind::ModuleName, nullptr, UINT32_MAX, 2, class_name + "\n" + attribute};
  std::optional<ResolutionSet> none;
  return memoized(&Resolver::names_, key, none, none, [&]() -> std::optional<ResolutionSet> {
    ResolutionSet out;
    for (const auto& ref : index_.instance_attributes(class_name, attribute)) {
      const Binding& b = index_.file(ref.file).bindings[ref.binding];
      ResolutionSet rs = resolve_value_all(Scope{ref.file, b.function, b.class_name, b.range.start_byte}, b.value);
      merge_flags(out, rs);
      for (auto& r : rs.alternatives)
        if (useful(r)) add(out, std::move(r));
    }
    drop_unknown_if_known(out);
    if (out.empty()) return std::nullopt;
    return out;
  });
}

std::optional<ResolutionSet> Resolver::package_name(uint32_t file, std::string_view name) const {
  auto package = index_.package_files(file);
  if (package.size() < 2) return std::nullopt;
  // One fact per package and name, whichever of its files asks.
  FactKey key{FactKind::ModuleName, nullptr, package.front(), 1, std::string(name)};
  std::optional<ResolutionSet> none;
  return memoized(&Resolver::names_, key, none, none, [&]() -> std::optional<ResolutionSet> {
    if (auto definer = index_.package_definer(file, name)) return module_name(*definer, std::string(name));
    return std::nullopt;
  });
}

ResolutionSet Resolver::returns_of(FunctionRef ref) const {
  FactKey key{FactKind::Returns, nullptr, ref.file, ref.function, {}};
  return memoized(&Resolver::sets_, key, ResolutionSet{}, partial_set(), [&] {
    const Function& fn = index_.file(ref.file).functions[ref.function];
    ResolutionSet out;
    for (const auto& ret : fn.returns) {
      Scope s{ref.file, ref.function, fn.class_name, ret.range.start_byte};
      ResolutionSet rs = resolve_value_all(s, ret);
      merge_flags(out, rs);
      for (auto& r : rs.alternatives)
        // SDK clients, and instances of the project's own classes (whose methods are followed).
        if (r.resolved || (r.local && r.canonical.starts_with("local:"))) add(out, std::move(r));
    }
    return out;
  });
}

void Resolver::call_result(Resolution r, const Value* call, const Scope& scope, ResolutionSet& out) const {
  if (r.project_fn.valid()) {
    // A factory function of the project: what it returns is what the call yields.
    ResolutionSet rs = returns_of(r.project_fn);
    merge_flags(out, rs);
    if (rs.empty()) {
      Resolution local;
      local.local = true;
      add(out, std::move(local));
    }
    for (auto& alt : rs.alternatives) add(out, std::move(alt));
    return;
  }
  if (!r.local && call) {
    r.ctor = call;
    r.ctor_scope = scope;
    r.steps.push_back({r.canonical, call, scope});
  }
  r.canonical += "()";
  add(out, std::move(r));
}

// What calling (or constructing) `callee` with `value`'s arguments yields.
void Resolver::apply_call(Resolution callee, const Value& value, const Scope& scope, ResolutionSet& out) const {
  if (!callee.resolved && !callee.local && !callee.project_fn.valid()) {
    callee.canonical += "()";
    add(out, std::move(callee));
  } else {
    call_result(std::move(callee), &value, scope, out);
  }
}

ResolutionSet Resolver::resolve_path_all(const Scope& scope, std::string_view path) const {
  // Not remembered: a path is asked about at one position, and everything it rests on (bindings'
  // values, returns, module names) is. Keeps the memo small on large trees.
  if (path.empty()) return {};
  if (exhausted_ || height_ >= budget_.max_nesting || !charge()) {
    lowest_cut_ = 0;
    return partial_set();
  }
  return compute_path(scope, path);
}

ResolutionSet Resolver::compute_path(const Scope& scope, std::string_view path) const {
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
    auto found = lookup_name(scope, key);
    if (!found) continue;
    ResolutionSet out;
    merge_flags(out, *found);
    // The rest of the path applied to one alternative; calls may fan out into several.
    auto apply_suffix = [&](std::vector<Resolution>& cur, std::string_view suffix) {
      for (size_t i = 0; i < suffix.size(); i += 2) {
        bool call = suffix.substr(i, 2) == "()";
        ResolutionSet next;
        for (auto& r : cur) {
          if (call) call_result(std::move(r), nullptr, scope, next);
          else {
            r.canonical += "[]";
            add(next, std::move(r));
          }
        }
        merge_flags(out, next);
        cur = std::move(next.alternatives);
      }
    };
    std::function<void(Resolution, size_t)> extend = [&](Resolution r, size_t kk) {
      // llm.client...: attributes of a project module are its module-level names.
      if (r.module && kk < segs.size() && segs[kk - 1].suffix.empty()) {
        auto inner = module_name(*r.module, std::string(segs[kk].name));
        if (inner && !inner->empty()) {
          merge_flags(out, *inner);
          for (const auto& alt : inner->alternatives) extend(alt, kk + 1);
          return;
        }
      }
      std::vector<Resolution> cur{std::move(r)};
      apply_suffix(cur, segs[kk - 1].suffix);
      for (size_t i = kk; i < segs.size(); ++i) {
        std::vector<Resolution> next;
        for (auto& c : cur) {
          // A method of a project class called on an instance (svc.ask(), NewService().Ask()):
          // the call graph and factory returns follow it when the name is unambiguous.
          // So is an associated function called on the class itself (Rust's Client::new(), a
          // Python classmethod).
          bool instance = c.canonical.ends_with("()");
          if (c.local && c.canonical.starts_with("local:") &&
              (instance || c.canonical.find_first_of("(.[") == std::string::npos)) {
            std::string cls = c.canonical.substr(6, c.canonical.size() - (instance ? 8 : 6));
            std::string qualified = cls + "." + std::string(segs[i].name);
            const auto& refs = index_.functions_named(qualified);
            if (refs.size() == 1) {
              c.project_fn = refs.front();
              c.canonical = "local:" + qualified;
              next.push_back(std::move(c));
              continue;
            }
            // An attribute of the instance (session.client.client.Converse(..)): what the class's
            // constructors and fields put there.
            if (instance && refs.empty() && cls.find_first_of("(.[") == std::string::npos) {
              auto held = instance_attribute(cls, std::string(segs[i].name));
              if (held && !held->empty()) {
                merge_flags(out, *held);
                for (const auto& alt : held->alternatives)
                  if (next.size() < kMaxAlternatives) next.push_back(alt);
                continue;
              }
            }
          }
          c.project_fn = {};
          c.canonical += '.';
          c.canonical.append(segs[i].name);
          next.push_back(std::move(c));
        }
        cur = std::move(next);
        apply_suffix(cur, segs[i].suffix);
      }
      for (auto& c : cur) add(out, std::move(c));
    };
    for (const auto& alt : found->alternatives) extend(alt, k);
    drop_unknown_if_known(out);
    return out;
  }
  // self.Chat(...) that the struct does not define: a method promoted from an embedded field.
  if (segs.size() >= 2 && segs[0].name == "self" && segs[0].suffix.empty() && segs[1].name != kEmbeddedAttribute) {
    std::string embedded = "self." + std::string(kEmbeddedAttribute);
    if (!binding_candidates(scope, embedded).empty())
      return compute_path(scope, embedded + std::string(path.substr(4)));
  }
  return {};
}

ResolutionSet Resolver::resolve_value_all(const Scope& scope, const Value& value) const {
  FactKey key{FactKind::Value, &value, pack(scope.file, scope.function), scope.pos, {}};
  return memoized(&Resolver::sets_, key, ResolutionSet{}, partial_set(), [&] { return compute_value(scope, value); });
}

ResolutionSet Resolver::compute_value(const Scope& scope, const Value& value) const {
  ResolutionSet out;
  // `a if c else b`, `c ? a : b`, `x ?? fallback`: every branch is a possible value.
  auto add_branches = [&] {
    for (const auto& a : value.args) {
      if (a.name != kAlternativeArg && !(a.name == "??" && value.kind == Value::Kind::Name)) continue;
      ResolutionSet rs = resolve_value_all(scope, a.value);
      merge_flags(out, rs);
      for (auto& r : rs.alternatives)
        if (useful(r)) add(out, std::move(r));
    }
    drop_unknown_if_known(out);
  };
  switch (value.kind) {
    case Value::Kind::Name: {
      ResolutionSet rs = resolve_path_all(scope, value.text);
      merge_flags(out, rs);
      for (auto& r : rs.alternatives) add(out, std::move(r));
      if (out.empty()) {
        Resolution unknown;
        unknown.canonical = value.text;
        add(out, std::move(unknown));
      }
      add_branches();
      return out;
    }
    case Value::Kind::Call:
    case Value::Kind::New: {
      if ((value.text == "require" || value.text == "import") && !value.args.empty() &&
          value.args[0].value.kind == Value::Kind::String) {
        Resolution r;
        r.resolved = !index_.module_file(scope.file, value.args[0].value.text);
        r.local = !r.resolved;
        r.canonical = value.args[0].value.text;
        add(out, std::move(r));
        return out;
      }
      ResolutionSet callees = resolve_path_all(scope, value.text);
      merge_flags(out, callees);
      if (callees.empty()) callees.alternatives.push_back(callees.primary(value.text));
      if (!value.args.empty() && !value.args[0].value.text.empty()) {
        auto dot = value.text.rfind('.');
        std::string_view last = dot == std::string::npos ? std::string_view(value.text) : std::string_view(value.text).substr(dot + 1);
        if (std::find(identity_wrappers_.begin(), identity_wrappers_.end(), last) != identity_wrappers_.end()) {
          ResolutionSet inner = resolve_value_all(scope, value.args[0].value);
          bool any = false;
          for (auto& r : inner.alternatives)
            if (r.resolved) {
              r.steps.push_back({callees.primary(value.text).canonical, &value, scope});
              add(out, std::move(r));
              any = true;
            }
          if (any) {
            merge_flags(out, inner);
            add_branches();
            return out;
          }
        }
      }
      for (auto& callee : callees.alternatives) apply_call(std::move(callee), value, scope, out);
      add_branches();
      return out;
    }
    case Value::Kind::Object:
      // A Go composite literal of a named type, &http.Client{Timeout: t}, constructs that type;
      // its fields are the constructor's arguments.
      if (!value.text.empty()) {
        ResolutionSet callees = resolve_path_all(scope, value.text);
        merge_flags(out, callees);
        if (callees.empty()) callees.alternatives.push_back(callees.primary(value.text));
        for (auto& callee : callees.alternatives) apply_call(std::move(callee), value, scope, out);
        return out;
      }
      add_branches();
      return out;
    case Value::Kind::Lambda: {
      // const extract = (response) => {...}: the name holds that function.
      const auto& fns = index_.file(scope.file).functions;
      auto it = std::lower_bound(fns.begin(), fns.end(), value.range.start_byte,
                                 [](const Function& fn, uint32_t b) { return fn.range.start_byte < b; });
      if (it != fns.end() && it->range.start_byte == value.range.start_byte) {
        Resolution r;
        r.local = true;
        r.project_fn = {scope.file, static_cast<uint32_t>(it - fns.begin())};
        add(out, std::move(r));
      }
      return out;
    }
    case Value::Kind::TypeRef: {
      ResolutionSet rs = resolve_path_all(scope, value.text);
      merge_flags(out, rs);
      if (rs.empty()) rs.alternatives.push_back(rs.primary(value.text));
      for (auto& r : rs.alternatives) {
        if (r.resolved || r.local) r.canonical += "()";
        add(out, std::move(r));
      }
      return out;
    }
    default:
      add_branches();
      return out;
  }
}

Resolution Resolver::resolve_path(const Scope& scope, std::string_view path) const {
  return resolve_path_all(scope, path).primary(path);
}

Resolution Resolver::resolve_value(const Scope& scope, const Value& value) const {
  return resolve_value_all(scope, value).primary();
}

std::optional<std::string> Resolver::resolve_string(const Scope& scope, const Value& value) const {
  FactKey key{FactKind::String, &value, pack(scope.file, scope.function), scope.pos, {}};
  std::optional<std::string> none;
  return memoized(&Resolver::strings_, key, none, none, [&] { return compute_string(scope, value); });
}

std::optional<std::string> Resolver::compute_string(const Scope& scope, const Value& value) const {
  switch (value.kind) {
    case Value::Kind::String:
      return value.text;
    case Value::Kind::Template: {
      std::string out;
      size_t hole = 0;
      for (size_t i = 0; i < value.text.size() && out.size() < kMaxStringLength; ++i) {
        if (value.text.compare(i, 2, "{}") == 0 && hole < value.args.size()) {
          auto part = resolve_string(scope, value.args[hole++].value);
          out += part ? *part : "{}";
          ++i;
        } else {
          out += value.text[i];
        }
      }
      if (out.size() > kMaxStringLength) out.resize(kMaxStringLength);
      return out;
    }
    case Value::Kind::Name: {
      for (const auto& c : binding_candidates(scope, value.text))
        if (auto s = resolve_string(c.scope, *c.value)) return s;
      // An imported constant of this project.
      for (const auto& imp : index_.file(scope.file).imports) {
        if (imp.local != value.text || imp.symbol.empty()) continue;
        if (auto target = index_.module_file(scope.file, imp.module)) {
          if (auto s = module_string(*target, imp.symbol)) return s;
          break;
        }
      }
      for (const auto& a : value.args)
        if (a.name == "??")
          if (auto fallback = resolve_string(scope, a.value)) return fallback;
      return std::nullopt;
    }
    case Value::Kind::Call: {
      // os.getenv("X", "default") / os.environ.get("X", "default"): the default says where it points.
      if ((value.text.ends_with("getenv") || value.text.ends_with("environ.get")) && value.args.size() >= 2)
        return resolve_string(scope, value.args[1].value);
      // A project function that builds the URL (func endpoint() string { return base + "/v1/..." }).
      ResolutionSet callees = resolve_path_all(scope, value.text);
      for (const auto& callee : callees.alternatives)
        if (callee.project_fn.valid())
          if (auto str = returned_string(callee.project_fn, value, scope)) return str;
      return std::nullopt;
    }
    default:
      return std::nullopt;
  }
}

std::optional<std::string> Resolver::returned_string(FunctionRef ref, const Value& call, const Scope& caller) const {
  const FileSummary& file = index_.file(ref.file);
  const Function& fn = file.functions[ref.function];
  // def url(self, path) called as self.url("x"): the receiver is not among the arguments.
  size_t shift = !fn.params.empty() && (fn.params[0] == "self" || fn.params[0] == "cls") &&
                         call.text.find('.') != std::string::npos
                     ? 1
                     : 0;
  auto parameter = [&](const std::string& name) -> std::optional<std::optional<std::string>> {
    auto at = std::find(fn.params.begin(), fn.params.end(), name);
    if (at == fn.params.end() || static_cast<size_t>(at - fn.params.begin()) < shift) return std::nullopt;
    size_t index = static_cast<size_t>(at - fn.params.begin()) - shift, seen = 0;
    for (const auto& a : call.args)
      if (a.name.empty() && seen++ == index) return resolve_string(caller, a.value);
    return std::optional<std::string>{};
  };
  // One level of the callee's own code is read with the arguments in place: its return value,
  // a template of it, and a local it assigns (the memo stays per call, as the call is the key).
  std::function<std::optional<std::string>(const Value&, uint32_t, int)> eval =
      [&](const Value& v, uint32_t pos, int depth) -> std::optional<std::string> {
    Scope here{ref.file, ref.function, fn.class_name, pos};
    if (depth > 2 || !charge()) return resolve_string(here, v);
    switch (v.kind) {
      case Value::Kind::Name: {
        if (auto p = parameter(v.text)) return *p;
        for (uint32_t bi : index_.bindings_in(ref.file, ref.function, v.text)) {
          const Binding& b = file.bindings[bi];
          if (b.range.start_byte >= pos) continue;
          if (auto s = eval(b.value, b.range.start_byte, depth + 1)) return s;
        }
        return resolve_string(here, v);
      }
      case Value::Kind::Template: {
        std::string out;
        size_t hole = 0;
        for (size_t i = 0; i < v.text.size() && out.size() < kMaxStringLength; ++i) {
          if (v.text.compare(i, 2, "{}") == 0 && hole < v.args.size()) {
            auto part = eval(v.args[hole++].value, pos, depth + 1);
            out += part ? *part : "{}";
            ++i;
          } else {
            out += v.text[i];
          }
        }
        return out;
      }
      default:
        return resolve_string(here, v);
    }
  };
  // `return ""` beside a value read from configuration is the "not set" case, not the value.
  bool all_known = true, empty = false;
  for (const auto& ret : fn.returns) {
    auto str = eval(ret, ret.range.start_byte, 0);
    if (str && !str->empty()) return str;
    all_known &= str.has_value();
    empty |= str.has_value();
  }
  if (empty && all_known) return std::string();
  return std::nullopt;
}

std::optional<std::string> Resolver::module_string(uint32_t file, const std::string& name) const {
  FactKey key{FactKind::ModuleString, nullptr, file, 0, name};
  std::optional<std::string> none;
  return memoized(&Resolver::strings_, key, none, none, [&]() -> std::optional<std::string> {
    Scope mod{file, kModuleScope, {}, UINT32_MAX};
    for (const auto& c : binding_candidates(mod, name))
      if (auto s = resolve_string(c.scope, *c.value)) return s;
    for (const auto& imp : index_.file(file).imports) {
      if (imp.local != name || imp.symbol.empty()) continue;
      if (auto target = index_.module_file(file, imp.module)) return module_string(*target, imp.symbol);
    }
    return std::nullopt;
  });
}

}  // namespace gapmap::index
