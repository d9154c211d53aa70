#include "index/project_index.h"

#include <algorithm>
#include <array>
#include <tuple>

namespace gapmap::index {
namespace {

std::string parent_dir(std::string_view path) {
  auto slash = path.rfind('/');
  return slash == std::string_view::npos ? std::string{} : std::string(path.substr(0, slash));
}

std::string join(const std::string& dir, std::string_view rel) {
  std::vector<std::string> parts;
  auto push = [&](std::string_view p) {
    size_t pos = 0;
    while (pos <= p.size()) {
      size_t slash = p.find('/', pos);
      std::string_view seg = p.substr(pos, slash == std::string_view::npos ? std::string_view::npos : slash - pos);
      if (seg == "..") {
        if (!parts.empty()) parts.pop_back();
      } else if (!seg.empty() && seg != ".") {
        parts.emplace_back(seg);
      }
      if (slash == std::string_view::npos) break;
      pos = slash + 1;
    }
  };
  push(dir);
  push(rel);
  std::string out;
  for (const auto& p : parts) {
    if (!out.empty()) out += '/';
    out += p;
  }
  return out;
}

constexpr std::array kScriptSuffixes{"",          ".ts",        ".tsx",       ".js",       ".mjs",      ".jsx",
                                     "/index.ts", "/index.tsx", "/index.js", ".cts",      ".mts"};
constexpr std::array kPythonSuffixes{".py", "/__init__.py"};

}  // namespace

namespace {
// The run of `sorted` whose elements compare equal to `key` under `less` (a strict weak order
// between a binding index and the key, both ways).
template <typename Key, typename Less>
std::span<const uint32_t> equal_run(const std::vector<uint32_t>& sorted, const Key& key, Less less) {
  auto [lo, hi] = std::equal_range(sorted.begin(), sorted.end(), key, less);
  return {sorted.data() + (lo - sorted.begin()), static_cast<size_t>(hi - lo)};
}

struct ScopeKey {
  uint32_t function;
  std::string_view target;
};
struct ClassKey {
  std::string_view class_name;
  std::string_view target;
};
}  // namespace

ProjectIndex::ProjectIndex(const std::vector<FileSummary>& files) : files_(files), tables_(files.size()) {
  for (uint32_t i = 0; i < files_.size(); ++i) {
    by_path_.emplace(files_[i].path, i);
    FileTables& t = tables_[i];
    const FileSummary& f = files_[i];
    for (uint32_t fn = 0; fn < f.functions.size(); ++fn) {
      const Function& func = f.functions[fn];
      functions_by_name_[func.name].push_back({i, fn});
      if (func.qualified != func.name) functions_by_name_[func.qualified].push_back({i, fn});
      if (func.parent == kModuleScope && func.class_name.empty()) t.top_functions.emplace(func.name, fn);
      t.qualified.emplace(func.qualified, fn);
      if (!func.class_name.empty()) t.classes.push_back(func.class_name);
    }
    std::sort(t.classes.begin(), t.classes.end());
    t.classes.erase(std::unique(t.classes.begin(), t.classes.end()), t.classes.end());
    for (uint32_t b = 0; b < f.bindings.size(); ++b) {
      t.by_scope.push_back(b);
      const std::string& target = f.bindings[b].target;
      if (target.starts_with("self.") || target.starts_with("this.") || target.starts_with("cls.")) {
        t.by_class.push_back(b);
        // "Class\nname": what instances of a project class hold, from any file.
        if (!f.bindings[b].class_name.empty() && target.find('.', 5) == std::string::npos)
          instance_attributes_[f.bindings[b].class_name + "\n" + target.substr(target.find('.') + 1)].push_back({i, b});
      }
    }
    // Bindings are in source order already: a stable sort keeps positions ascending in each run.
    std::stable_sort(t.by_scope.begin(), t.by_scope.end(), [&](uint32_t x, uint32_t y) {
      const Binding &a = f.bindings[x], &b = f.bindings[y];
      return std::tie(a.function, a.target) < std::tie(b.function, b.target);
    });
    std::stable_sort(t.by_class.begin(), t.by_class.end(), [&](uint32_t x, uint32_t y) {
      const Binding &a = f.bindings[x], &b = f.bindings[y];
      return std::tie(a.class_name, a.target) < std::tie(b.class_name, b.target);
    });
    t.by_scope.shrink_to_fit();
    t.by_class.shrink_to_fit();
  }
  // Path tails, first file in path order wins (by_path_ iterates sorted).
  for (const auto& [path, idx] : by_path_) {
    by_tail_[path].push_back(idx);
    for (size_t slash = path.find('/'); slash != std::string::npos; slash = path.find('/', slash + 1))
      by_tail_[path.substr(slash + 1)].push_back(idx);
    if (path == "__init__.py" || path.ends_with("/__init__.py")) python_packages_.insert(parent_dir(path));
  }
  go_package_of_.assign(files_.size(), UINT32_MAX);
  for (const auto& [path, idx] : by_path_) {
    const FileSummary& f = files_[idx];
    if (f.language == "gomod") {
      for (const auto& imp : f.imports)
        if (imp.symbol == "module" && !imp.module.empty()) go_modules_.emplace_back(imp.module, parent_dir(path));
      continue;
    }
    // Go and Java: a package (a folder) shares one scope; its names need no import.
    if (f.language == "java")
      for (const auto& imp : f.imports)
        if (imp.symbol == "package" && !imp.module.empty()) java_packages_.emplace(imp.module, idx);
    if (f.language != "go" && f.language != "java") continue;
    auto [it, fresh] = go_package_by_dir_.emplace(parent_dir(path), static_cast<uint32_t>(go_packages_.size()));
    if (fresh) go_packages_.emplace_back();
    GoPackage& pkg = go_packages_[it->second];
    pkg.files.push_back(idx);
    go_package_of_[idx] = it->second;
    // First definition in path order wins, as the per-file tables do within a file.
    for (uint32_t fn = 0; fn < f.functions.size(); ++fn) {
      const Function& func = f.functions[fn];
      if (func.parent != kModuleScope) continue;
      if (func.class_name.empty()) pkg.definers.emplace(func.name, idx);
      else pkg.methods.emplace(func.qualified, FunctionRef{idx, fn});
    }
    for (const auto& cls : tables_[idx].classes) pkg.definers.emplace(cls, idx);
    for (uint32_t b = 0; b < f.bindings.size(); ++b) {
      const Binding& bind = f.bindings[b];
      bool attribute = bind.target.starts_with("self.") || bind.target.starts_with("this.");
      if (bind.function == kModuleScope && !attribute) pkg.definers.emplace(bind.target, idx);
      if (attribute) pkg.attributes[bind.class_name + "\n" + bind.target].push_back({idx, b});
    }
  }
  // The innermost module wins: a nested go.mod owns its subtree.
  std::stable_sort(go_modules_.begin(), go_modules_.end(),
                   [](const auto& a, const auto& b) { return a.first.size() > b.first.size(); });
}

std::span<const uint32_t> ProjectIndex::package_files(uint32_t file) const {
  if (file >= go_package_of_.size() || go_package_of_[file] == UINT32_MAX) return {};
  return go_packages_[go_package_of_[file]].files;
}

std::optional<uint32_t> ProjectIndex::package_definer(uint32_t file, std::string_view name) const {
  if (file >= go_package_of_.size() || go_package_of_[file] == UINT32_MAX) return std::nullopt;
  const auto& d = go_packages_[go_package_of_[file]].definers;
  if (auto it = d.find(std::string(name)); it != d.end()) return it->second;
  return std::nullopt;
}

std::optional<FunctionRef> ProjectIndex::package_method(uint32_t file, std::string_view qualified) const {
  if (file >= go_package_of_.size() || go_package_of_[file] == UINT32_MAX) return std::nullopt;
  const auto& m = go_packages_[go_package_of_[file]].methods;
  if (auto it = m.find(std::string(qualified)); it != m.end()) return it->second;
  return std::nullopt;
}

std::span<const ProjectIndex::BindingRef> ProjectIndex::package_attributes(uint32_t file, std::string_view class_name,
                                                                           std::string_view target) const {
  if (file >= go_package_of_.size() || go_package_of_[file] == UINT32_MAX) return {};
  const auto& a = go_packages_[go_package_of_[file]].attributes;
  std::string key(class_name);
  key += '\n';
  key += target;
  if (auto it = a.find(key); it != a.end()) return it->second;
  return {};
}

std::optional<uint32_t> ProjectIndex::go_module_file(std::string_view import_path) const {
  // Only go.mod says which import paths are this project's: a folder that happens to be named
  // like the tail of an SDK's path ("internal/openai") must not shadow the SDK.
  for (const auto& [module, dir] : go_modules_) {
    if (import_path != module && !(import_path.starts_with(module) && import_path.size() > module.size() &&
                                   import_path[module.size()] == '/'))
      continue;
    std::string rel = join(dir, import_path.substr(std::min(import_path.size(), module.size() + 1)));
    if (import_path == module) rel = dir;
    if (auto it = go_package_by_dir_.find(rel); it != go_package_by_dir_.end()) return go_packages_[it->second].files.front();
    return std::nullopt;
  }
  return std::nullopt;
}

// Rust module paths: `crate.a.b` from the crate root (the folder holding main.rs or lib.rs),
// `self.a` / `super.a` from the current module, and a bare `a.b` from the current module (a
// child declared with `mod a;`); anything else is an external crate.
std::optional<uint32_t> ProjectIndex::rust_module_file(uint32_t from_file, std::string_view module) const {
  const std::string& path = files_[from_file].path;
  std::string file_dir = parent_dir(path);
  std::string_view name = std::string_view(path).substr(path.rfind('/') == std::string::npos ? 0 : path.rfind('/') + 1);
  bool owns_dir = name == "mod.rs" || name == "main.rs" || name == "lib.rs";
  // The folder a module's children live in: src/a.rs -> src/a, src/a/mod.rs -> src/a.
  std::string self_dir = owns_dir ? file_dir : join(file_dir, name.substr(0, name.size() - 3));
  auto find_file = [&](const std::string& base) -> std::optional<uint32_t> {
    for (const char* s : {".rs", "/mod.rs"})
      if (auto it = by_path_.find(base + s); it != by_path_.end()) return it->second;
    return std::nullopt;
  };
  std::vector<std::string_view> segs;
  for (size_t pos = 0; pos <= module.size();) {
    size_t dot = module.find('.', pos);
    segs.push_back(module.substr(pos, dot == std::string_view::npos ? std::string_view::npos : dot - pos));
    if (dot == std::string_view::npos) break;
    pos = dot + 1;
  }
  std::string dir = self_dir;
  size_t i = 0;
  if (!segs.empty() && segs[0] == "crate") {
    dir.clear();
    for (std::string d = file_dir;; d = parent_dir(d)) {
      if (by_path_.count(join(d, "main.rs")) || by_path_.count(join(d, "lib.rs"))) {
        dir = d;
        break;
      }
      if (d.empty()) return std::nullopt;
    }
    i = 1;
  } else {
    if (!segs.empty() && segs[0] == "self") i = 1;
    // super: the parent module's folder (src/a/b.rs is crate::a::b; super is crate::a in src/a).
    for (; i < segs.size() && segs[i] == "super"; ++i) dir = parent_dir(dir);
  }
  if (i == segs.size()) {
    // The module itself: its file is the folder's mod.rs, or the .rs file beside the folder.
    if (dir == self_dir) return from_file;
    if (auto f = find_file(dir)) return f;
    for (const char* root : {"/mod.rs", "/main.rs", "/lib.rs"})
      if (auto it = by_path_.find(dir + root); it != by_path_.end()) return it->second;
    return std::nullopt;
  }
  for (; i < segs.size(); ++i) dir = join(dir, segs[i]);
  return find_file(dir);
}

std::optional<uint32_t> ProjectIndex::module_file(uint32_t from_file, std::string_view module) const {
  const FileSummary& from = files_[from_file];
  if (from.language == "go") return go_module_file(module);
  if (from.language == "java") {
    // import com.acme.ai.Assistant: the package com.acme.ai, whose files hold Assistant.
    auto it = java_packages_.find(module);
    if (it == java_packages_.end()) return std::nullopt;
    return it->second;
  }
  if (from.language == "rust") return rust_module_file(from_file, module);
  bool python = from.language == "python";
  auto lookup = [&](const std::string& base) -> std::optional<uint32_t> {
    if (python) {
      for (const char* s : kPythonSuffixes)
        if (auto it = by_path_.find(base + s); it != by_path_.end()) return it->second;
    } else {
      for (const char* s : kScriptSuffixes)
        if (auto it = by_path_.find(base + s); it != by_path_.end()) return it->second;
    }
    return std::nullopt;
  };
  auto suffix_lookup = [&](const std::string& tail) -> std::optional<uint32_t> {
    // The module's first segment must sit directly in a directory that can be on the import path:
    // for Python one that is not itself a package (`import anthropic` inside app/handlers/, a
    // package, is the installed SDK, never app/handlers/anthropic.py). A module never imports itself.
    auto importable = [&](uint32_t idx, const std::string& want) {
      if (idx == from_file) return false;
      if (!python) return true;
      const std::string& path = files_[idx].path;
      std::string root = path.size() > want.size() ? path.substr(0, path.size() - want.size() - 1) : std::string{};
      return !python_packages_.count(root);
    };
    auto find = [&](const char* s) -> std::optional<uint32_t> {
      std::string want = tail + s;
      if (auto it = by_tail_.find(want); it != by_tail_.end())
        for (uint32_t idx : it->second)
          if (importable(idx, want)) return idx;
      return std::nullopt;
    };
    if (python) {
      for (const char* s : kPythonSuffixes)
        if (auto found = find(s)) return found;
    } else {
      for (const char* s : kScriptSuffixes)
        if (auto found = find(s)) return found;
    }
    return std::nullopt;
  };
  std::string dir = parent_dir(from.path);
  if (python) {
    if (module.starts_with(".")) {
      size_t dots = module.find_first_not_of('.');
      if (dots == std::string_view::npos) dots = module.size();
      std::string base = dir;
      for (size_t i = 1; i < dots; ++i) base = parent_dir(base);
      std::string rest(module.substr(dots));
      for (auto& c : rest)
        if (c == '.') c = '/';
      return lookup(join(base, rest));
    }
    std::string tail(module);
    for (auto& c : tail)
      if (c == '.') c = '/';
    return suffix_lookup(tail);
  }
  // ESM TypeScript imports name the emitted file: "./providers.js" is providers.ts.
  std::string_view stem = module;
  for (std::string_view ext : {".js", ".jsx", ".mjs", ".cjs"})
    if (stem.ends_with(ext)) {
      if (auto exact = lookup(join(dir, module)); exact && (module.starts_with("./") || module.starts_with("../"))) return exact;
      stem = stem.substr(0, stem.size() - ext.size());
      break;
    }
  if (stem.starts_with("./") || stem.starts_with("../")) return lookup(join(dir, stem));
  if (stem.starts_with("@/") || stem.starts_with("~/")) return suffix_lookup(std::string(stem.substr(2)));
  return std::nullopt;
}

std::optional<uint32_t> ProjectIndex::top_function(uint32_t file, std::string_view name) const {
  const auto& t = tables_[file].top_functions;
  if (auto it = t.find(std::string(name)); it != t.end()) return it->second;
  return std::nullopt;
}

std::optional<uint32_t> ProjectIndex::qualified_function(uint32_t file, std::string_view qualified) const {
  const auto& t = tables_[file].qualified;
  if (auto it = t.find(std::string(qualified)); it != t.end()) return it->second;
  return std::nullopt;
}

bool ProjectIndex::defines_class(uint32_t file, std::string_view name) const {
  const auto& c = tables_[file].classes;
  return std::binary_search(c.begin(), c.end(), name, std::less<>{});
}

std::span<const uint32_t> ProjectIndex::bindings_in(uint32_t file, uint32_t function, std::string_view target) const {
  const auto& bindings = files_[file].bindings;
  struct Less {
    const std::vector<Binding>& b;
    bool operator()(uint32_t x, const ScopeKey& k) const {
      return std::tie(b[x].function, b[x].target) < std::tie(k.function, k.target);
    }
    bool operator()(const ScopeKey& k, uint32_t x) const {
      return std::tie(k.function, k.target) < std::tie(b[x].function, b[x].target);
    }
  };
  return equal_run(tables_[file].by_scope, ScopeKey{function, target}, Less{bindings});
}

std::span<const uint32_t> ProjectIndex::attribute_bindings(uint32_t file, std::string_view class_name,
                                                           std::string_view target) const {
  const auto& bindings = files_[file].bindings;
  struct Less {
    const std::vector<Binding>& b;
    bool operator()(uint32_t x, const ClassKey& k) const {
      return std::tie(b[x].class_name, b[x].target) < std::tie(k.class_name, k.target);
    }
    bool operator()(const ClassKey& k, uint32_t x) const {
      return std::tie(k.class_name, k.target) < std::tie(b[x].class_name, b[x].target);
    }
  };
  return equal_run(tables_[file].by_class, ClassKey{class_name, target}, Less{bindings});
}

const std::vector<FunctionRef>& ProjectIndex::functions_named(std::string_view name) const {
  static const std::vector<FunctionRef> none;
  auto it = functions_by_name_.find(name);
  return it == functions_by_name_.end() ? none : it->second;
}

std::span<const ProjectIndex::BindingRef> ProjectIndex::instance_attributes(std::string_view class_name,
                                                                           std::string_view attribute) const {
  std::string key(class_name);
  key += '\n';
  key += attribute;
  if (auto it = instance_attributes_.find(key); it != instance_attributes_.end()) return it->second;
  return {};
}

}  // namespace gapmap::index
