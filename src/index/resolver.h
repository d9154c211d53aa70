#pragma once
// Receiver resolution: turns a callee path as written ("self.client.chat.completions.create") into
// canonical paths rooted at an import ("openai.OpenAI().chat.completions.create"), following
// assignments, attributes, typed parameters, factory functions and module imports across the
// project. "()" marks a call, so "openai.OpenAI()" reads "an instance of OpenAI".
//
// Cost: every fact (a binding's value, a function's return values, a module-level name) is
// resolved once and remembered, so the total work grows with the size of the index, not with the
// number of paths through it. A name bound to several values, or a function with several returns,
// resolves to the set of what they denote (at most kMaxAlternatives, then marked "more").
// Cycles are cut by an in-progress mark (see below); a per-file work budget turns a pathological file into a
// diagnostic instead of a hang.
//
// A Resolver remembers what it computed, so it is not shared between threads. Inside a cycle the
// remembered values are a one-pass approximation that depends on which fact was asked first, so
// the project is queried through one Resolver in a fixed order (file, then call); parallel
// passes afterwards use overlays: a private memo over that one, frozen, cleared per query.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "core/summary.h"
#include "index/project_index.h"

namespace gapmap::index {

inline constexpr size_t kMaxAlternatives = 16;

struct Scope {
  uint32_t file = 0;
  uint32_t function = kModuleScope;
  std::string class_name;
  uint32_t pos = UINT32_MAX;  // byte offset of the use; earlier bindings win
};

// One call on the way to a resolved value: `ChatOpenAI(...)`, then `.bind_tools(...)`.
struct CallStep {
  std::string callee;  // canonical callee at that point ("langchain_openai.ChatOpenAI")
  const Value* call = nullptr;
  Scope scope;
};

struct Resolution {
  std::string canonical;
  bool resolved = false;   // rooted at an import or a global we know
  bool bound = false;      // the root is a local name whose value we could not resolve
  bool local = false;      // a class or value defined in this project (never an SDK)
  const Value* ctor = nullptr;  // the last call on the way (what made the value)
  Scope ctor_scope;
  std::vector<CallStep> steps;  // every call on the way, first to last
  FunctionRef project_fn;  // the path names a project function (not yet called)
  std::optional<uint32_t> module;  // the path names a project module (import app.llm as llm)
};

// Everything a path or value may denote, in source order of the bindings and returns that gave it.
struct ResolutionSet {
  std::vector<Resolution> alternatives;
  bool more = false;     // there were more than kMaxAlternatives
  bool partial = false;  // the work budget or nesting bound cut the search: some may be missing

  bool empty() const { return alternatives.empty(); }
  // The first alternative (or an unresolved one naming `path`): for callers that need one value.
  Resolution primary(std::string_view path = {}) const;
};

struct ResolverBudget {
  uint64_t per_file_work = 2'000'000;  // resolution steps one file's queries may take
  uint32_t max_nesting = 256;          // resolution frames open at once (stack safety)

  // For passes after detection: resolution is linear through the memo, and a cut there would
  // silently drop call-graph edges and evidence. The nesting bound stays.
  static ResolverBudget unlimited() {
    ResolverBudget b;
    b.per_file_work = UINT64_MAX;
    return b;
  }
};

class Resolver {
 public:
  // `identity_wrappers`: functions that return the client they are given, instrumented
  // (wrap_openai(OpenAI()) is still an OpenAI client).
  explicit Resolver(const ProjectIndex& index, std::vector<std::string> identity_wrappers = {},
                    ResolverBudget budget = {});
  // An overlay over `base`, which must not change while the overlay is used: reads base's memo,
  // remembers only in its own (clear it with clear_overlay() to make each query independent).
  Resolver(const Resolver& base, ResolverBudget budget);
  void clear_overlay() const;
  void set_budget(ResolverBudget budget) { budget_ = budget; }

  ResolutionSet resolve_path_all(const Scope& scope, std::string_view path) const;
  ResolutionSet resolve_value_all(const Scope& scope, const Value& value) const;
  Resolution resolve_path(const Scope& scope, std::string_view path) const;
  Resolution resolve_value(const Scope& scope, const Value& value) const;
  // The text a string-valued expression has, with unknown holes kept as "{}".
  std::optional<std::string> resolve_string(const Scope& scope, const Value& value) const;
  // The value a name is bound to at `scope`, if exactly known.
  std::optional<std::pair<const Value*, Scope>> binding_value(const Scope& scope, std::string_view name) const;
  // Like binding_value, and through an import of another project module to its module-level binding.
  std::optional<std::pair<const Value*, Scope>> definition_of(const Scope& scope, std::string_view name) const;

  const ProjectIndex& index() const { return index_; }

  // The work budget is charged per file: start a file's queries with begin_file(); exhausted()
  // then says whether they were cut short. work() counts every step since construction.
  void begin_file() const;
  bool exhausted() const { return exhausted_; }
  uint64_t work() const { return work_; }

 private:
  struct Candidate {
    const Value* value;
    Scope scope;
  };
  // A memoised fact: a value at a position, a function's returns, a module-level name.
  enum class FactKind : uint8_t { Value, Returns, ModuleName, String, ModuleString };
  struct FactKey {
    FactKind kind;
    const void* ptr;  // the Value, or nullptr: a Value lives at one place, so it and the position
                      // of its use identify the fact (its class follows from where it lives)
    uint64_t a, b;    // positions / indices
    std::string name;  // module-level names only
    bool operator==(const FactKey&) const = default;
  };
  struct FactKeyHash {
    size_t operator()(const FactKey& k) const;
  };
  template <typename T>
  struct Memo {
    std::unordered_map<FactKey, T, FactKeyHash> done;
  };

  std::vector<Candidate> binding_candidates(const Scope& scope, std::string_view key) const;
  std::optional<ResolutionSet> lookup_name(const Scope& scope, std::string_view key) const;
  // A name another file of the same Go package defines.
  std::optional<ResolutionSet> package_name(uint32_t file, std::string_view name) const;
  // What instances of a project class hold in `attribute`, over every file that sets it.
  std::optional<ResolutionSet> instance_attribute(const std::string& class_name, const std::string& attribute) const;
  std::optional<ResolutionSet> module_name(uint32_t file, const std::string& name) const;
  ResolutionSet returns_of(FunctionRef fn) const;
  void apply_call(Resolution callee, const Value& value, const Scope& scope, ResolutionSet& out) const;
  void call_result(Resolution r, const Value* call, const Scope& scope, ResolutionSet& out) const;
  ResolutionSet compute_value(const Scope& scope, const Value& value) const;
  ResolutionSet compute_path(const Scope& scope, std::string_view path) const;
  std::optional<std::string> compute_string(const Scope& scope, const Value& value) const;
  std::optional<std::string> module_string(uint32_t file, const std::string& name) const;
  // The string a project function returns for this call's arguments: its parameters read as
  // the caller's values (gpt.FullURL("chat/completions") -> ".../v1/chat/completions").
  std::optional<std::string> returned_string(FunctionRef fn, const Value& call, const Scope& caller) const;

  // Runs `compute` once per key. A cycle back to a fact still being computed yields `on_cycle`,
  // a spent budget or too deep a nesting `on_budget`; results that saw either are not remembered.
  template <typename T, typename F>
  T memoized(Memo<T> Resolver::*memo, const FactKey& key, const T& on_cycle, const T& on_budget, F&& compute) const;
  bool charge(uint64_t steps = 1) const;

  const ProjectIndex& index_;
  std::vector<std::string> identity_wrappers_;
  ResolverBudget budget_;

  mutable Memo<ResolutionSet> sets_;
  mutable Memo<std::optional<ResolutionSet>> names_;
  mutable Memo<std::optional<std::string>> strings_;
  const Resolver* base_ = nullptr;  // overlays: the frozen resolver underneath
  mutable std::unordered_set<FactKey, FactKeyHash> in_progress_;
  mutable uint32_t height_ = 0;
  mutable uint32_t lowest_cut_ = UINT32_MAX;  // 0 once a budget or nesting cut happened below
  mutable uint64_t work_ = 0;
  mutable uint64_t file_work_ = 0;
  mutable bool exhausted_ = false;
};

}  // namespace gapmap::index
