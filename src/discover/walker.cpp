#include "discover/walker.h"

#include <fmt/format.h>
#include <sys/stat.h>

#include <algorithm>
#include <array>
#include <fstream>
#include <set>
#include <sstream>

#include "discover/glob.h"
#include "discover/ignore.h"
#include "lang/languages.h"

namespace gapmap::discover {
namespace fs = std::filesystem;

namespace {

constexpr std::array kSkippedDirs{".git", ".hg", ".svn", "node_modules", ".venv", "venv", "vendor", "dist",
                                  "build", "__pycache__", ".tox", ".mypy_cache", ".pytest_cache", "site-packages",
                                  ".next", ".nuxt", "coverage", ".ipynb_checkpoints", "bower_components",
                                  // build output of web frameworks, committed more often than one would think
                                  "_next", "storybook-static", ".svelte-kit", ".turbo", ".docusaurus", ".angular"};

bool is_minified_name(std::string_view name) {
  return name.ends_with(".min.js") || name.ends_with(".min.mjs") || name.ends_with(".min.cjs") ||
         name.ends_with("-min.js") || name.ends_with(".bundle.js");
}

std::string read_small_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream ss;
  if (in) ss << in.rdbuf();
  return ss.str();
}

bool matches_any(const std::vector<std::string>& globs, std::string_view rel) {
  for (const auto& g : globs) {
    // A pattern without '/' matches a file name at any depth, as in .gitignore.
    if (g.find('/') == std::string::npos) {
      auto slash = rel.rfind('/');
      if (glob_match(g, slash == std::string_view::npos ? rel : rel.substr(slash + 1))) return true;
    }
    if (glob_match(g, rel) || glob_match(g + "/**", rel)) return true;
  }
  return false;
}

bool inside(const fs::path& child, const fs::path& root) {
  auto r = root.generic_string(), c = child.generic_string();
  return c == r || (c.size() > r.size() && c.starts_with(r) && (r.ends_with("/") || c[r.size()] == '/'));
}

class Walker {
 public:
  Walker(fs::path root, const DiscoverOptions& options, Discovery& out)
      : root_(std::move(root)), options_(options), out_(out) {
    std::error_code ec;
    canonical_root_ = fs::canonical(root_, ec);
    if (ec) canonical_root_ = fs::absolute(root_);
  }

  void walk_root() {
    // Iterative, so tree depth never exhausts the stack.
    std::vector<std::pair<fs::path, std::string>> stack{{root_, ""}};
    visited_.insert(canonical_root_.string());
    while (!stack.empty()) {
      auto [dir, rel] = std::move(stack.back());
      stack.pop_back();
      if (options_.use_ignore_files) {
        for (const char* name : {".gitignore", ".gapmapignore"}) {
          fs::path f = dir / name;
          std::error_code ec;
          if (fs::is_regular_file(fs::symlink_status(f, ec))) ignore_.add_file(rel, read_small_file(f));
        }
      }
      std::vector<std::pair<std::string, fs::directory_entry>> entries;
      std::error_code ec;
      fs::directory_iterator it(dir, fs::directory_options::skip_permission_denied, ec);
      if (ec) {
        add_error(rel.empty() ? "." : rel, fmt::format("cannot list directory: {}", ec.message()));
        continue;
      }
      for (; it != fs::directory_iterator(); it.increment(ec)) {
        if (ec) break;
        entries.emplace_back(it->path().filename().string(), *it);
      }
      std::sort(entries.begin(), entries.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
      for (auto& [name, entry] : entries) visit(entry, rel.empty() ? name : rel + "/" + name, stack);
    }
  }

  void take_file(const fs::path& path, const std::string& rel) {
    auto lang = lang::language_for_path(rel);
    if (!lang) return;
    std::error_code ec;
    auto size = fs::file_size(path, ec);
    if (ec) {
      add_error(rel, fmt::format("cannot read: {}", ec.message()));
      return;
    }
    if (size > options_.max_file_size) {
      add_error(rel, fmt::format("skipped: {} bytes is over the {}-byte limit (raise it with --max-file-size)", size,
                                 options_.max_file_size));
      return;
    }
    out_.files.push_back({path, rel, *lang});
  }

 private:
  void visit(const fs::directory_entry& entry, const std::string& rel,
             std::vector<std::pair<fs::path, std::string>>& stack) {
    std::error_code ec;
    auto lst = entry.symlink_status(ec);
    if (ec) {
      add_error(rel, fmt::format("cannot stat: {}", ec.message()));
      return;
    }
    fs::path real = entry.path();
    fs::file_status st = lst;
    if (fs::is_symlink(lst)) {
      // Follow a link only when its target stays inside the scan root.
      fs::path target = fs::canonical(entry.path(), ec);
      if (ec) return;  // broken link or loop: nothing to read
      if (!inside(target, canonical_root_)) return;
      st = fs::status(target, ec);
      if (ec) return;
      real = target;
    }
    std::string name = entry.path().filename().string();
    if (fs::is_directory(st)) {
      if (options_.use_ignore_files && is_default_skipped_dir(name)) return;
      if (options_.use_ignore_files && ignore_.ignored(rel, true)) return;
      if (!options_.exclude.empty() && matches_any(options_.exclude, rel)) return;
      auto canon = fs::canonical(real, ec);
      if (ec || !visited_.insert(canon.string()).second) return;  // link loop or seen already
      stack.emplace_back(entry.path(), rel);
      return;
    }
    if (!fs::is_regular_file(st)) return;  // FIFOs, sockets, devices are never opened
    if (options_.use_ignore_files && ignore_.ignored(rel, false)) return;
    if (options_.use_ignore_files && is_minified_name(name)) {
      ++out_.generated_skipped;
      return;
    }
    if (!options_.exclude.empty() && matches_any(options_.exclude, rel)) return;
    if (!options_.include.empty() && !matches_any(options_.include, rel)) return;
    take_file(entry.path(), rel);
  }

  void add_error(const std::string& rel, std::string message) { out_.errors.push_back({rel, std::nullopt, std::move(message)}); }

  fs::path root_, canonical_root_;
  const DiscoverOptions& options_;
  Discovery& out_;
  IgnoreRules ignore_;
  std::set<std::string> visited_;
};

}  // namespace

bool is_default_skipped_dir(std::string_view name) {
  return std::find(kSkippedDirs.begin(), kSkippedDirs.end(), name) != kSkippedDirs.end();
}

Discovery discover(const std::vector<std::string>& paths, const DiscoverOptions& options) {
  Discovery out;
  std::vector<std::string> args = paths.empty() ? std::vector<std::string>{"."} : paths;
  for (const auto& p : args) {
    std::error_code ec;
    if (!fs::exists(fs::symlink_status(p, ec)))
      throw DiscoverError(fmt::format("{}: no such file or directory (give a path to scan, or none for \".\")", p));
  }
  // One directory: it is the root. Otherwise paths are reported relative to the working directory.
  bool single_dir = args.size() == 1 && fs::is_directory(args[0]);
  out.root = single_dir ? fs::path(args[0]) : fs::current_path();
  for (const auto& p : args) {
    fs::path path(p);
    if (fs::is_directory(path)) {
      std::string prefix = single_dir ? "" : fs::relative(path, out.root).generic_string();
      if (prefix == ".") prefix.clear();
      Discovery sub;
      Walker w(path, options, sub);
      w.walk_root();
      for (auto& f : sub.files) {
        if (!prefix.empty()) f.relative = prefix + "/" + f.relative;
        out.files.push_back(std::move(f));
      }
      for (auto& e : sub.errors) {
        if (!prefix.empty()) e.file = prefix + "/" + e.file;
        out.errors.push_back(std::move(e));
      }
    } else {
      std::error_code ec;
      auto st = fs::status(path, ec);
      if (!fs::is_regular_file(st)) continue;
      std::string rel = fs::relative(path, out.root, ec).generic_string();
      if (ec || rel.empty() || rel.starts_with("..")) rel = path.generic_string();
      Walker w(out.root, options, out);
      w.take_file(path, rel);
    }
  }
  std::sort(out.files.begin(), out.files.end(), [](const SourceFile& a, const SourceFile& b) { return a.relative < b.relative; });
  out.files.erase(std::unique(out.files.begin(), out.files.end(),
                              [](const SourceFile& a, const SourceFile& b) { return a.relative == b.relative; }),
                  out.files.end());
  std::sort(out.errors.begin(), out.errors.end(), [](const ScanError& a, const ScanError& b) { return a.file < b.file; });
  return out;
}

}  // namespace gapmap::discover
