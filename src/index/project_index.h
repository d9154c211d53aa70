#pragma once
// Phase 2 of the pipeline: the project index over all file summaries — which file a module import
// names, which functions, classes and bindings a file defines, who calls whom. Every lookup here is
// a table look-up built once, so resolution over the index stays linear in its size.
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "core/summary.h"

namespace gapmap::index {

struct FunctionRef {
  uint32_t file = UINT32_MAX;
  uint32_t function = kModuleScope;
  bool valid() const { return file != UINT32_MAX; }
  bool operator==(const FunctionRef&) const = default;
};

class ProjectIndex {
 public:
  explicit ProjectIndex(const std::vector<FileSummary>& files);

  const std::vector<FileSummary>& files() const { return files_; }
  const FileSummary& file(uint32_t i) const { return files_[i]; }

  // The project file an import names ("./llm", ".utils", "app.llm", "@/lib/ai"), if any.
  std::optional<uint32_t> module_file(uint32_t from_file, std::string_view module) const;

  // A module-level function of `file` named `name`.
  std::optional<uint32_t> top_function(uint32_t file, std::string_view name) const;
  // A function of `file` by qualified name ("Client.ask").
  std::optional<uint32_t> qualified_function(uint32_t file, std::string_view qualified) const;
  // Does `file` define a class of this name?
  bool defines_class(uint32_t file, std::string_view name) const;

  // Bindings of `target` made directly in `function` of `file`, in source order.
  std::span<const uint32_t> bindings_in(uint32_t file, uint32_t function, std::string_view target) const;
  // Bindings of an instance attribute (`self.x`, `this.x`) made by any method of `class_name`.
  std::span<const uint32_t> attribute_bindings(uint32_t file, std::string_view class_name, std::string_view target) const;

  // Go: the files of `file`'s package (its directory), in path order; empty for other languages.
  // A Go name is visible in every file of its package without an import.
  std::span<const uint32_t> package_files(uint32_t file) const;
  // Go package-wide tables, so a lookup costs the same in a package of 2 files or 2,000: the
  // first file (in path order) defining a top-level name, a method by "Type.Name", and the
  // attribute bindings of a struct from every file of the package.
  std::optional<uint32_t> package_definer(uint32_t file, std::string_view name) const;
  std::optional<FunctionRef> package_method(uint32_t file, std::string_view qualified) const;
  struct BindingRef {
    uint32_t file;
    uint32_t binding;
  };
  std::span<const BindingRef> package_attributes(uint32_t file, std::string_view class_name,
                                                 std::string_view target) const;

  // Functions anywhere in the project with this (unqualified or qualified) name.
  const std::vector<FunctionRef>& functions_named(std::string_view name) const;
  // Bindings of an attribute of a project class's instances (self.client = ..., this.client = ...,
  // struct fields), from every file: a.client where a holds an instance of the class.
  std::span<const BindingRef> instance_attributes(std::string_view class_name, std::string_view attribute) const;

 private:
  struct FileTables {
    std::unordered_map<std::string, uint32_t> top_functions;
    std::unordered_map<std::string, uint32_t> qualified;
    // Binding indices sorted by (function, target, position) and by (class, target, position):
    // four bytes a binding, looked up by bisection.
    std::vector<uint32_t> by_scope;
    std::vector<uint32_t> by_class;
    std::vector<std::string> classes;  // sorted
  };

  const std::vector<FileSummary>& files_;
  std::vector<FileTables> tables_;
  std::map<std::string, uint32_t, std::less<>> by_path_;  // relative path -> index
  // Every path tail ("c.py", "b/c.py", "a/b/c.py") -> the files that end with it, in path order:
  // absolute imports name a module from a source root we do not know.
  std::unordered_map<std::string, std::vector<uint32_t>> by_tail_;
  // Directories that hold an __init__.py: Python packages. Code in them is never on sys.path
  // itself, so a module inside one is only importable through its package's name.
  std::unordered_set<std::string> python_packages_;
  std::map<std::string, std::vector<FunctionRef>, std::less<>> functions_by_name_;
  std::map<std::string, std::vector<BindingRef>, std::less<>> instance_attributes_;  // "Class\nattr"
  // Go packages (directory -> files) and the modules go.mod files declare (module path, folder).
  struct GoPackage {
    std::vector<uint32_t> files;
    std::unordered_map<std::string, uint32_t> definers;
    std::unordered_map<std::string, FunctionRef> methods;
    std::unordered_map<std::string, std::vector<BindingRef>> attributes;  // "Class\nself.x"
  };
  std::vector<GoPackage> go_packages_;
  std::vector<uint32_t> go_package_of_;  // file -> index into go_packages_, or UINT32_MAX
  std::map<std::string, uint32_t, std::less<>> go_package_by_dir_;
  std::vector<std::pair<std::string, std::string>> go_modules_;  // longest module path first
  std::map<std::string, uint32_t, std::less<>> java_packages_;  // package name -> its first file
  std::optional<uint32_t> go_module_file(std::string_view import_path) const;
  std::optional<uint32_t> rust_module_file(uint32_t from_file, std::string_view module) const;
};

}  // namespace gapmap::index
