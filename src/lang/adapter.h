#pragma once
// One small adapter per grammar family: it turns the nodes the extraction query captured into
// summary records. Queries say *where* things are; adapters say how a language spells them.
#include <tree_sitter/api.h>

#include <algorithm>
#include <array>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/summary.h"
#include "lang/source_text.h"

namespace gapmap::lang {

// Summaries stop descending here: deep enough for `a.b(c=d(e=f))`, bounded for hostile input.
inline constexpr int kMaxValueDepth = 6;
inline constexpr int kMaxPathDepth = 48;
// Literals keep at most this many elements/fields/arguments: a 150k-element data array in a
// bundle says nothing more than its first entries.
inline constexpr uint32_t kMaxValueElements = 64;

class SyntaxAdapter {
 public:
  virtual ~SyntaxAdapter() = default;

  // Dotted path of a callee/receiver expression ("self.client.chat.completions.create"), or ""
  // when the expression has no path (a literal, an operator).
  virtual std::string path_of(TSNode node, const SourceText& src, int depth = 0) const = 0;
  virtual Value value_of(TSNode node, const SourceText& src, int depth = 0) const = 0;
  virtual std::vector<Argument> arguments_of(TSNode args, const SourceText& src, int depth = 0) const = 0;
  virtual void imports_of(TSNode statement, const SourceText& src, std::vector<Import>& out) const = 0;

  // A binding's target as a path; destructuring may add imports (const {A} = require("m")) or
  // several bindings. Returns false when the target is not something gapmap tracks.
  virtual void bindings_of(TSNode target, TSNode value, const SourceText& src, Binding base,
                           std::vector<Binding>& bindings, std::vector<Import>& imports) const = 0;

  // Name for a function node (arrow functions take the name they are assigned to).
  virtual std::string function_name(TSNode fn, const SourceText& src) const = 0;
  virtual std::vector<Value> decorators_of(TSNode fn, const SourceText& src) const = 0;
  // Parameters; typed ones become TypeRef bindings so `def f(client: OpenAI)` resolves.
  virtual void parameters_of(TSNode fn, const SourceText& src, Function& f,
                             std::vector<Binding>& typed) const = 0;
  // An arrow function's expression body counts as its return value.
  virtual std::optional<TSNode> expression_body(TSNode fn) const = 0;
  // Handler clauses of a try statement (except / catch) and its finally clause.
  virtual void handlers_of(TSNode try_node, const SourceText& src, HandlerRegion& region) const = 0;
  // "self" / "this" prefix used for instance attributes.
  virtual std::string_view self_name() const = 0;

  // Languages whose methods name their receiver (Go's `func (s *Service) Ask()`): the receiver's
  // type is the method's class and its name is read as self_name() inside the method.
  struct Receiver {
    std::string name;
    std::string type;
  };
  virtual std::optional<Receiver> receiver_of(TSNode, const SourceText&) const { return std::nullopt; }

  // Languages that spell one request as a chain of calls (Rust's `client.post(url).json(b).send()`)
  // report it once, at the outer call: the inner calls it folds are not calls of their own.
  virtual bool folded_call(TSNode, const SourceText&) const { return false; }
  // A last look at the whole file's summary (Rust drops crate-root imports that a `use` shadows).
  virtual void finish(FileSummary&) const {}
};

std::unique_ptr<SyntaxAdapter> make_python_adapter();
std::unique_ptr<SyntaxAdapter> make_ecma_adapter();
std::unique_ptr<SyntaxAdapter> make_go_adapter();
std::unique_ptr<SyntaxAdapter> make_rust_adapter();
std::unique_ptr<SyntaxAdapter> make_java_adapter();

// Helpers shared by adapters.
TSNode child_by_field(TSNode node, std::string_view field);
// Child counts that read a missing node (an `if` without `else`) as empty.
uint32_t named_count(TSNode node);
// Arguments in an argument list, comments aside.
uint32_t argument_count(TSNode args);
// "a.b.c" -> "c".
std::string last_segment(std::string_view path);
template <size_t N>
bool one_of(const std::array<std::string_view, N>& set, std::string_view s) {
  return std::find(set.begin(), set.end(), s) != set.end();
}
std::string_view node_type(TSNode node);
std::optional<std::string> literal_string(const Value& v);
// `x ?? d` / `x || d` / `x or d`: the value is x (data keeps flowing from it) carrying d as an
// argument named "??", which string resolution falls back to (`config.url || DEFAULT_URL`).
Value with_default(Value value, Value fallback);
// The first branch of a conditional expression, carrying the other as kAlternativeArg.
Value with_alternative(Value value, Value alternative);
// A parameter declared with a type (`client: OpenAI`, `c *openai.Client`): bound to a TypeRef
// so calls through it resolve like calls through a constructed client.
Binding typed_parameter(std::string name, std::string type_path, SourceRange type_range, SourceRange param_range);
// The start every value_of shares: the value's range, and false (v left empty, or Other past
// kMaxValueDepth) when there is nothing more to read.
bool begin_value(TSNode node, const SourceText& src, int depth, Value& v);
// "a" + x: a Template whose holes are "{}" with the non-literal parts as args.
Value concat_strings(Value left, Value right, SourceRange range);
// A `binary_expression` with operator "+" (the field names every grammar here shares) that joins
// strings: the template it builds; nothing for arithmetic or other operators.
std::optional<Value> string_concatenation(const SyntaxAdapter& adapter, TSNode node, const SourceText& src, int depth);
// A builder setter read as a named argument: .model("m") -> model="m", .stream() -> stream=true,
// .header("k", v) -> header=[k, v].
Argument setter_argument(std::string name, std::vector<Argument> values);

}  // namespace gapmap::lang
