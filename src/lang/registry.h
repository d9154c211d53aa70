#pragma once
// Grammars with their extraction queries, compiled once and shared read-only by all worker threads
// (TSQuery is immutable once built; cursors and parsers stay per thread). Only the languages a
// scan meets are compiled: prepare() them on one thread before the workers start.
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "lang/adapter.h"
#include "lang/languages.h"
#include "lang/ts_handles.h"
#include "rules/rule_files.h"

namespace gapmap::lang {

enum class CaptureRole : uint8_t {
  Unknown,
  Call, CallCallee, CallArgs, New,
  Binding, BindingField, BindingTarget, BindingValue,
  Import,
  Function, FunctionName,
  Class, ClassName,
  Return, ReturnValue,
  Try, TryBody,
  BindingLoop, BindingExport,
  Condition, ConditionTest, ConditionBody,
  Loop, LoopCondition, LoopForever,
  With, WithValue,
  Raise,
  Comment,
};

// `(#eq? @cap "text")` / `(#any-of? @cap "a" "b")`, applied to a match's capture text (the
// tree-sitter runtime leaves text predicates to its host). `negate` for #not-eq? / #not-any-of?.
struct TextPredicate {
  uint32_t capture = 0;
  std::vector<std::string> values;
  bool negate = false;
};

struct CompiledLanguage {
  const GrammarInfo* grammar = nullptr;
  QueryHandle query;
  std::vector<CaptureRole> roles;  // indexed by capture id
  std::vector<std::vector<TextPredicate>> predicates;  // indexed by pattern
  std::unique_ptr<SyntaxAdapter> adapter;
};

class LanguageRegistry {
 public:
  // `files` must outlive the registry.
  explicit LanguageRegistry(const rules::RuleFiles& files);

  // Compiles the language's query (a no-op when done, or when it has no extraction yet); throws
  // rules::RuleError naming file:line:column when the query does not compile against its grammar.
  void prepare(std::string_view language);
  void prepare_all();

  // A prepared language, or nullptr.
  const CompiledLanguage* find(std::string_view name) const;
  bool supports(std::string_view name) const { return find(name) != nullptr; }

 private:
  const rules::RuleFiles& files_;
  std::map<std::string, std::unique_ptr<CompiledLanguage>, std::less<>> languages_;
};

}  // namespace gapmap::lang
