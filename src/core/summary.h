#pragma once
// The language-neutral file summary (SPEC §1, phase 1). Language adapters produce it from a syntax
// tree; everything after that (index, detection, checks) reads only this. Deterministic and
// serialisable, so it can be cached per content hash and shipped between shards.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/source_range.h"

namespace gapmap {

inline constexpr uint32_t kModuleScope = UINT32_MAX;  // "no enclosing function"

struct Argument;

// `a if c else b` / `c ? a : b` is summarised as `a` with `b` added as an argument of this name,
// so code that reads the first branch keeps working and resolution can follow both.
inline constexpr std::string_view kAlternativeArg = "?:";
// The attribute an embedded struct field is stored as (Go's `struct { *api.Client }`): a member
// the struct does not define is looked up on it.
inline constexpr std::string_view kEmbeddedAttribute = "^";
// A call's argument naming the type its result is parsed into: Rust's from_str::<T>(s) or
// `let x: T = from_str(s)`; a TypeRef.
inline constexpr std::string_view kParsedTypeArg = "::<>";

// A summarised expression: enough to resolve receivers, read literal arguments and follow names,
// never the whole expression tree (depth is bounded by the adapter).
struct Value {
  enum class Kind : uint8_t {
    None,      // absent
    String,    // text = literal value
    Template,  // f-string / template literal: text = literal prefix before the first hole
    Number,    // text = literal
    Bool,      // text = "true"/"false"
    Null,
    Name,      // text = dotted path ("self.client", "os.environ", "cfg.model")
    Call,      // text = callee path; args = arguments
    New,       // JS `new X(...)`: text = constructor path; args = arguments
    Object,    // dict / object literal: args = entries (name = key)
    List,      // list / array literal: args = elements
    Lambda,    // arrow / lambda / function expression: text = callee path of a call it makes, if one
    Await,     // unused marker kept for adapters that wrap values
    TypeRef,   // a declared type (parameter annotation): text = type path
    Other,
  };
  Kind kind = Kind::None;
  std::string text;
  std::vector<Argument> args;
  SourceRange range;

  bool is_string_like() const { return kind == Kind::String || kind == Kind::Template; }
};

struct Argument {
  std::string name;  // keyword / object key; empty for positional; "**" / "..." for spreads
  Value value;
};

struct Import {
  std::string local;   // name bound in this file ("OpenAI", "genai", "google.generativeai")
  std::string module;  // "openai", "@anthropic-ai/sdk", "google.generativeai", "./llm"
  std::string symbol;  // imported member ("OpenAI", "default"); empty = the module itself
  SourceRange range;
  bool type_only = false;  // TypeScript `import type`: names types, runs nothing
};

struct Binding {
  std::string target;  // "client", "self.client", "this.client"
  Value value;
  bool loop = false;   // `for target in value` / `for (const target of value)`: range is the loop
  SourceRange range;
  uint32_t function = kModuleScope;  // enclosing function index
  std::string class_name;            // enclosing class, for self./this. attributes
};

struct Function {
  std::string name;
  std::string qualified;  // "Class.method" or "outer.inner"
  std::string class_name;
  SourceRange range;
  std::vector<Value> decorators;  // Call or Name values
  std::vector<std::string> params;
  std::vector<Value> returns;  // values of its return statements (for factory resolution)
  uint32_t parent = kModuleScope;
  // Go: the receiver's name (`s` in `func (s *Service) Ask()`). Paths in the method and its
  // closures spell it as `self`, so resolution treats it like Python's self; output spells it back.
  std::string receiver;
};

struct Call {
  std::string callee;  // dotted path; chained calls keep "()" ("OpenAI().chat.completions.create")
  std::vector<Argument> args;
  SourceRange range;
  bool is_new = false;
  uint32_t function = kModuleScope;
  std::string class_name;
};

// try/except, try/catch: what the protected body covers and where its handlers are.
struct HandlerRegion {
  SourceRange body;
  std::vector<SourceRange> handlers;
  std::optional<SourceRange> finalizer;
};

// A test in the code: if/elif/while conditions, asserts, ternaries. Checks read what it looks at
// (member paths, string literals) and what its body does (raise, return, call: by range).
struct Condition {
  SourceRange range;  // the whole statement
  SourceRange test;   // the condition expression
  std::optional<SourceRange> body;  // consequence; none for asserts/ternaries
  std::vector<std::string> reads;    // "response.stop_reason", "chunk.type", "reason"
  std::vector<std::string> strings;  // literals compared against: "max_tokens", "message_stop"
  bool is_assert = false;
};

struct Loop {
  SourceRange range;
  bool unbounded = false;  // `while True:` / `for (;;)` / `while (true)`
  std::string condition;   // source text of a while condition, trimmed
};

// A `with` block and the context manager it enters (`tracer.start_as_current_span(...)`).
struct WithBlock {
  SourceRange range;
  Value manager;
};

struct Comment {
  uint32_t line = 0;
  std::string text;
};

struct ParseProblem {
  uint32_t line = 0;
  uint32_t column = 0;
  std::string message;
};

// Notebook cells are summarised as one document; this maps a line back to its cell.
struct CellSpan {
  uint32_t first_line = 0;  // 1-based line in the concatenated source
  uint32_t line_count = 0;
  uint32_t cell = 0;        // 0-based cell index
  uint32_t stored_line = 0; // line of the cell's first source line in the .ipynb file
};

struct FileSummary {
  std::string path;      // relative to the scan root, '/'
  std::string language;  // "python", "javascript", "typescript", "tsx", ...
  std::string content_hash;
  std::vector<Import> imports;
  std::vector<Binding> bindings;
  std::vector<Function> functions;
  std::vector<Call> calls;
  std::vector<HandlerRegion> handlers;
  std::vector<Condition> conditions;
  std::vector<Loop> loops;
  std::vector<WithBlock> withs;
  std::vector<SourceRange> raises;  // raise / throw statements
  std::vector<Comment> comments;  // only comments that mention gapmap directives
  std::vector<ParseProblem> problems;
  std::vector<CellSpan> cells;  // non-empty for notebooks
};

}  // namespace gapmap
