#include "index/project_index.h"

#include <array>

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

ProjectIndex::ProjectIndex(const std::vector<FileSummary>& files) : files_(files) {
  for (uint32_t i = 0; i < files_.size(); ++i) {
    by_path_.emplace(files_[i].path, i);
    for (uint32_t f = 0; f < files_[i].functions.size(); ++f) {
      const Function& fn = files_[i].functions[f];
      functions_by_name_[fn.name].push_back({i, f});
      if (fn.qualified != fn.name) functions_by_name_[fn.qualified].push_back({i, f});
    }
  }
}

std::optional<uint32_t> ProjectIndex::module_file(uint32_t from_file, std::string_view module) const {
  const FileSummary& from = files_[from_file];
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
    // Absolute imports name a module from some source root we do not know: match the path tail.
    std::optional<uint32_t> found;
    const auto& suffixes = python ? std::vector<std::string>(kPythonSuffixes.begin(), kPythonSuffixes.end())
                                  : std::vector<std::string>(kScriptSuffixes.begin(), kScriptSuffixes.end());
    for (const auto& s : suffixes) {
      std::string want = tail + s;
      for (const auto& [path, idx] : by_path_) {
        if (path == want || (path.size() > want.size() && path.ends_with(want) && path[path.size() - want.size() - 1] == '/'))
          if (!found) found = idx;
      }
      if (found) return found;
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
  const auto& fns = files_[file].functions;
  for (uint32_t i = 0; i < fns.size(); ++i)
    if (fns[i].parent == kModuleScope && fns[i].class_name.empty() && fns[i].name == name) return i;
  return std::nullopt;
}

const std::vector<FunctionRef>& ProjectIndex::functions_named(std::string_view name) const {
  static const std::vector<FunctionRef> none;
  auto it = functions_by_name_.find(name);
  return it == functions_by_name_.end() ? none : it->second;
}

}  // namespace gapmap::index
