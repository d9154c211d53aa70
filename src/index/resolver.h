#pragma once
// Receiver resolution (SPEC §2): turns a callee path as written ("self.client.chat.completions.
// create") into a canonical path rooted at an import ("openai.OpenAI().chat.completions.create"),
// following assignments, attributes, typed parameters, factory functions and module imports
// across the project. "()" marks a call, so "openai.OpenAI()" reads "an instance of OpenAI".
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/summary.h"
#include "index/project_index.h"

namespace gapmap::index {

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

class Resolver {
 public:
  // `identity_wrappers`: functions that return the client they are given, instrumented
  // (wrap_openai(OpenAI()) is still an OpenAI client).
  explicit Resolver(const ProjectIndex& index, std::vector<std::string> identity_wrappers = {});

  Resolution resolve_path(const Scope& scope, std::string_view path, int depth = 0) const;
  Resolution resolve_value(const Scope& scope, const Value& value, int depth = 0) const;
  // The text a string-valued expression has, with unknown holes kept as "{}".
  std::optional<std::string> resolve_string(const Scope& scope, const Value& value, int depth = 0) const;
  // The value a name is bound to at `scope`, if exactly known.
  std::optional<std::pair<const Value*, Scope>> binding_value(const Scope& scope, std::string_view name) const;
  // Like binding_value, and through an import of another project module to its module-level binding.
  std::optional<std::pair<const Value*, Scope>> definition_of(const Scope& scope, std::string_view name) const;

  const ProjectIndex& index() const { return index_; }

 private:
  struct Candidate {
    const Value* value;
    Scope scope;
  };
  std::optional<std::string> resolve_name_string(const Scope& scope, const Value& value, int depth) const;
  std::vector<Candidate> binding_candidates(const Scope& scope, std::string_view key) const;
  std::optional<Resolution> lookup_name(const Scope& scope, std::string_view key, int depth) const;
  Resolution call_result(Resolution r, const Value* call, const Scope& scope, int depth) const;

  const ProjectIndex& index_;
  std::vector<std::string> identity_wrappers_;
};

}  // namespace gapmap::index
