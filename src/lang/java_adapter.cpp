// Java (tree-sitter-java): how Java spells paths, values, imports, fields, builder chains,
// Spring AI's fluent requests and try/catch.
#include <algorithm>
#include <array>
#include <cctype>
#include <string>

#include "lang/adapter.h"

namespace gapmap::lang {
namespace {

using namespace std::string_view_literals;

// Fluent requests that end by sending (Spring AI's chatClient.prompt().user(u).call()): the
// terminal stays in the callee, since call and stream are different requests.
constexpr std::array kSendTerminals{"call"sv, "stream"sv};
// Wrappers whose value is their argument: Optional.of(client), Objects.requireNonNull(client).
constexpr std::array kWrapperCalls{"Optional.of"sv, "Optional.ofNullable"sv, "Objects.requireNonNull"sv,
                                   "URI.create"sv};
// Generic types whose contents are what a field or parameter holds: Optional<ChatClient>.
constexpr std::array kContainerTypes{"Optional"sv, "Supplier"sv, "ObjectProvider"sv, "Provider"sv,
                                     "AtomicReference"sv, "Lazy"sv};

// `recv.method(args)`: the parts of a method invocation on an object.
struct MethodCall {
  TSNode receiver{};
  std::string_view method;
  TSNode args{};
};
std::optional<MethodCall> method_call(TSNode call, const SourceText& src) {
  if (node_type(call) != "method_invocation") return std::nullopt;
  TSNode object = child_by_field(call, "object");
  if (ts_node_is_null(object)) return std::nullopt;
  return MethodCall{object, src.text_of(child_by_field(call, "name")), child_by_field(call, "arguments")};
}

bool is_call(TSNode n) {
  auto t = node_type(n);
  return t == "method_invocation" || t == "object_creation_expression";
}

// `Type.builder()` / `new Builder()`: a fresh value of a type, not a request.
bool is_constructor_call(TSNode call, const SourceText& src) {
  if (node_type(call) == "object_creation_expression") return true;
  auto m = method_call(call, src);
  if (!m) return false;
  TSNode owner = m->receiver;
  if (node_type(owner) == "field_access") owner = child_by_field(owner, "field");
  if (node_type(owner) != "identifier" && node_type(owner) != "type_identifier") return false;
  auto name = src.text_of(owner);
  return !name.empty() && std::isupper(static_cast<unsigned char>(name.front()));
}

bool is_build_terminal(std::string_view method) { return method.starts_with("build"); }

struct FoldedChain {
  enum class Kind { Send, Build } kind = Kind::Send;
  TSNode head{};
  std::vector<TSNode> setters;  // outermost first
  std::string_view terminal;    // "call" / "stream" for sends
};

// The chain ending at `call` when it ends one: `.build()` makes a value of its setters, and
// Spring AI's `.call()` / `.stream()` send the request its setters describe.
std::optional<FoldedChain> fold_chain(TSNode call, const SourceText& src) {
  auto m = method_call(call, src);
  if (!m || argument_count(m->args) != 0) return std::nullopt;
  FoldedChain chain;
  if (is_build_terminal(m->method)) chain.kind = FoldedChain::Kind::Build;
  else if (one_of(kSendTerminals, m->method)) chain.kind = FoldedChain::Kind::Send;
  else return std::nullopt;
  chain.terminal = m->method;
  TSNode cur = m->receiver;
  if (!is_call(cur)) return std::nullopt;
  for (int depth = 0; depth < kMaxPathDepth; ++depth) {
    auto step = method_call(cur, src);
    if (!step || !is_call(step->receiver)) break;
    // A request sent from a fresh client (Client.create().prompt()...call()) starts at its
    // first method; a value built from a constructor (X.builder().a(1).build()) is the constructor's.
    if (chain.kind == FoldedChain::Kind::Send && is_constructor_call(step->receiver, src)) break;
    chain.setters.push_back(cur);
    cur = step->receiver;
  }
  chain.head = cur;
  if (chain.kind == FoldedChain::Kind::Send && !method_call(cur, src)) return std::nullopt;
  return chain;
}

class JavaAdapter final : public SyntaxAdapter {
 public:
  std::string path_of(TSNode node, const SourceText& src, int depth) const override {
    if (ts_node_is_null(node) || depth > kMaxPathDepth) return {};
    auto type = node_type(node);
    if (type == "identifier" || type == "type_identifier" || type == "this" || type == "super") {
      // The name of a method invocation is its callee: object.name.
      TSNode parent = ts_node_parent(node);
      if (node_type(parent) == "method_invocation" && ts_node_eq(child_by_field(parent, "name"), node)) {
        if (auto chain = fold_chain(parent, src)) return chain_callee(*chain, src, depth);
        TSNode object = child_by_field(parent, "object");
        if (ts_node_is_null(object)) return std::string(src.text_of(node));
        std::string base = path_of(object, src, depth + 1);
        return base.empty() ? std::string{} : base + "." + std::string(src.text_of(node));
      }
      return std::string(src.text_of(node));
    }
    if (type == "scoped_identifier" || type == "scoped_type_identifier") {
      std::string text(src.text_of(node));
      text.erase(std::remove_if(text.begin(), text.end(), ::isspace), text.end());
      return text;
    }
    if (type == "field_access") {
      auto obj = path_of(child_by_field(node, "object"), src, depth + 1);
      if (obj.empty()) return {};
      return obj + "." + std::string(src.text_of(child_by_field(node, "field")));
    }
    if (type == "method_invocation") {
      if (auto chain = fold_chain(node, src)) {
        auto callee = chain_callee(*chain, src, depth);
        return callee.empty() ? std::string{} : callee + "()";
      }
      auto callee = path_of(child_by_field(node, "name"), src, depth + 1);
      return callee.empty() ? std::string{} : callee + "()";
    }
    if (type == "object_creation_expression") {
      auto t = path_of(child_by_field(node, "type"), src, depth + 1);
      return t.empty() ? std::string{} : t + "()";
    }
    if (type == "generic_type") return path_of(ts_node_named_child(node, 0), src, depth + 1);
    if (type == "array_access") {
      auto v = path_of(child_by_field(node, "array"), src, depth + 1);
      return v.empty() ? std::string{} : v + "[]";
    }
    if (type == "parenthesized_expression" || type == "cast_expression")
      return path_of(type == "cast_expression" ? child_by_field(node, "value") : ts_node_named_child(node, 0), src,
                     depth + 1);
    return {};
  }

  Value value_of(TSNode node, const SourceText& src, int depth) const override {
    Value v;
    if (!begin_value(node, src, depth, v)) return v;
    auto type = node_type(node);
    if (type == "string_literal" || type == "text_block") {
      v.kind = Value::Kind::String;
      for (uint32_t i = 0; i < named_count(node); ++i) {
        TSNode part = ts_node_named_child(node, i);
        if (node_type(part) == "string_fragment" || node_type(part) == "multiline_string_fragment")
          v.text += src.text_of(part);
        else if (node_type(part) == "escape_sequence" && src.text_of(part).size() == 2)
          v.text += src.text_of(part).substr(1);
      }
      return v;
    }
    if (type.ends_with("integer_literal") || type.ends_with("floating_point_literal")) {
      v.kind = Value::Kind::Number;
      v.text = src.text_of(node);
      return v;
    }
    if (type == "true" || type == "false") {
      v.kind = Value::Kind::Bool;
      v.text = std::string(type);
      return v;
    }
    if (type == "null_literal") {
      v.kind = Value::Kind::Null;
      return v;
    }
    if (type == "identifier" || type == "this" || type == "field_access" || type == "scoped_identifier" ||
        type == "array_access") {
      v.text = path_of(node, src, 0);
      v.kind = v.text.empty() ? Value::Kind::Other : Value::Kind::Name;
      return v;
    }
    if (type == "type_identifier" || type == "scoped_type_identifier" || type == "generic_type") {
      v.text = path_of(contained_type(node, src), src, 0);
      v.kind = v.text.empty() ? Value::Kind::Other : Value::Kind::TypeRef;
      return v;
    }
    if (type == "class_literal") {
      // Answer.class: the type a result is read into.
      v.kind = Value::Kind::TypeRef;
      v.text = path_of(ts_node_named_child(node, 0), src, 0);
      return v;
    }
    if (type == "parenthesized_expression") return value_of(ts_node_named_child(node, 0), src, depth + 1);
    if (type == "cast_expression") return value_of(child_by_field(node, "value"), src, depth + 1);
    if (type == "method_invocation") return call_value(node, src, depth);
    if (type == "object_creation_expression") {
      v.kind = Value::Kind::New;
      v.text = path_of(child_by_field(node, "type"), src, 0);
      v.args = arguments_of(child_by_field(node, "arguments"), src, depth + 1);
      return v;
    }
    if (type == "array_initializer" || type == "array_creation_expression") {
      TSNode list = type == "array_creation_expression" ? child_by_field(node, "value") : node;
      v.kind = Value::Kind::List;
      for (uint32_t i = 0; i < std::min(named_count(list), kMaxValueElements); ++i)
        v.args.push_back({"", value_of(ts_node_named_child(list, i), src, depth + 1)});
      return v;
    }
    if (type == "lambda_expression") {
      v.kind = Value::Kind::Lambda;
      TSNode body = child_by_field(node, "body");
      if (node_type(body) != "block") {
        Value r = value_of(body, src, depth + 1);
        if (r.kind == Value::Kind::Call) v.text = r.text;
      }
      return v;
    }
    if (type == "ternary_expression") {
      return with_range(with_alternative(value_of(child_by_field(node, "consequence"), src, depth + 1),
                                         value_of(child_by_field(node, "alternative"), src, depth + 1)),
                        v.range);
    }
    if (auto joined = string_concatenation(*this, node, src, depth)) return *joined;
    v.kind = Value::Kind::Other;
    v.text = std::string(src.text_of(node).substr(0, 120));
    return v;
  }

  std::vector<Argument> arguments_of(TSNode args, const SourceText& src, int depth) const override {
    std::vector<Argument> out;
    if (ts_node_is_null(args)) return out;
    TSNode call = ts_node_parent(args);
    if (node_type(call) == "method_invocation")
      if (auto chain = fold_chain(call, src)) return chain_arguments(*chain, src, depth);
    plain_arguments(args, src, depth, out);
    return out;
  }

  void imports_of(TSNode node, const SourceText& src, std::vector<Import>& out) const override {
    auto type = node_type(node);
    if (type == "package_declaration") {
      // The package this file belongs to: classes of the same package see each other unimported.
      for (uint32_t i = 0; i < named_count(node); ++i) {
        TSNode n = ts_node_named_child(node, i);
        if (node_type(n) == "scoped_identifier" || node_type(n) == "identifier")
          out.push_back({"", path_of(n, src, 0), "package", src.range_of(node)});
      }
      return;
    }
    if (type != "import_declaration") return;
    bool wildcard = false;
    TSNode name;
    for (uint32_t i = 0; i < named_count(node); ++i) {
      TSNode n = ts_node_named_child(node, i);
      if (node_type(n) == "asterisk") wildcard = true;
      else if (node_type(n) == "scoped_identifier" || node_type(n) == "identifier") name = n;
    }
    std::string full = path_of(name, src, 0);
    if (full.empty()) return;
    if (wildcard) {
      out.push_back({"*", full, "*", src.range_of(node)});
      return;
    }
    auto dot = full.rfind('.');
    if (dot == std::string::npos) return;
    out.push_back({full.substr(dot + 1), full.substr(0, dot), full.substr(dot + 1), src.range_of(node)});
  }

  void bindings_of(TSNode target, TSNode value, const SourceText& src, Binding base, std::vector<Binding>& bindings,
                   std::vector<Import>&) const override {
    std::string p = path_of(target, src, 0);
    if (p.empty()) return;
    base.target = std::move(p);
    base.value = value_of(value, src, 0);
    bindings.push_back(std::move(base));
  }

  std::string function_name(TSNode fn, const SourceText& src) const override {
    TSNode name = child_by_field(fn, "name");
    if (!ts_node_is_null(name)) return std::string(src.text_of(name));
    TSNode parent = ts_node_parent(fn);
    if (node_type(parent) == "variable_declarator") return std::string(src.text_of(child_by_field(parent, "name")));
    return "<lambda>";
  }

  std::vector<Value> decorators_of(TSNode fn, const SourceText& src) const override {
    // @Retryable(maxAttempts = 3), @CircuitBreaker(name = "llm", fallbackMethod = "cached")
    std::vector<Value> out;
    for (uint32_t i = 0; i < named_count(fn); ++i) {
      TSNode mods = ts_node_named_child(fn, i);
      if (node_type(mods) != "modifiers") continue;
      for (uint32_t j = 0; j < named_count(mods); ++j) {
        TSNode a = ts_node_named_child(mods, j);
        auto t = node_type(a);
        if (t != "marker_annotation" && t != "annotation") continue;
        Value v;
        v.range = src.range_of(a);
        v.text = path_of(child_by_field(a, "name"), src, 0);
        v.kind = t == "annotation" ? Value::Kind::Call : Value::Kind::Name;
        TSNode args = child_by_field(a, "arguments");
        for (uint32_t k = 0; k < std::min(named_count(args), kMaxValueElements); ++k) {
          TSNode e = ts_node_named_child(args, k);
          if (node_type(e) == "element_value_pair")
            v.args.push_back({std::string(src.text_of(child_by_field(e, "key"))),
                              value_of(child_by_field(e, "value"), src, 1)});
          else
            v.args.push_back({"", value_of(e, src, 1)});
        }
        out.push_back(std::move(v));
      }
    }
    return out;
  }

  void parameters_of(TSNode fn, const SourceText& src, Function& f, std::vector<Binding>& typed) const override {
    // `ChatClient chat(...)`: the declared return type is what a caller gets.
    if (TSNode ret = child_by_field(fn, "type"); !ts_node_is_null(ret)) {
      Value declared = value_of(ret, src, 0);
      if (declared.kind == Value::Kind::TypeRef && declared.text != "String" && declared.text != "void")
        f.returns.push_back(std::move(declared));
    }
    TSNode params = child_by_field(fn, "parameters");
    for (uint32_t i = 0; i < named_count(params); ++i) {
      TSNode p = ts_node_named_child(params, i);
      auto pt = node_type(p);
      if (pt == "identifier") {  // x -> ... lambda parameters
        f.params.push_back(std::string(src.text_of(p)));
        continue;
      }
      if (pt != "formal_parameter" && pt != "spread_parameter") continue;
      TSNode name = child_by_field(p, "name");
      if (ts_node_is_null(name))
        for (uint32_t j = 0; j < named_count(p); ++j)
          if (node_type(ts_node_named_child(p, j)) == "variable_declarator")
            name = child_by_field(ts_node_named_child(p, j), "name");
      std::string n(src.text_of(name));
      if (n.empty()) continue;
      f.params.push_back(n);
      TSNode type_node = child_by_field(p, "type");
      std::string tpath = path_of(contained_type(type_node, src), src, 0);
      if (!tpath.empty()) typed.push_back(typed_parameter(n, tpath, src.range_of(type_node), src.range_of(p)));
    }
  }

  std::optional<TSNode> expression_body(TSNode fn) const override {
    if (node_type(fn) != "lambda_expression") return std::nullopt;
    TSNode body = child_by_field(fn, "body");
    if (ts_node_is_null(body) || node_type(body) == "block") return std::nullopt;
    return body;
  }

  void handlers_of(TSNode try_node, const SourceText& src, HandlerRegion& region) const override {
    for (uint32_t i = 0; i < named_count(try_node); ++i) {
      TSNode c = ts_node_named_child(try_node, i);
      if (node_type(c) == "catch_clause") region.handlers.push_back(src.range_of(child_by_field(c, "body")));
      if (node_type(c) == "finally_clause") region.finalizer = src.range_of(c);
    }
  }

  std::string_view self_name() const override { return "this"; }

  bool folded_call(TSNode call, const SourceText& src) const override {
    // The head and setters of a folded chain are that one call.
    TSNode cur = call;
    for (int depth = 0; depth < kMaxPathDepth; ++depth) {
      TSNode outer = ts_node_parent(cur);
      if (node_type(outer) != "method_invocation" || !ts_node_eq(child_by_field(outer, "object"), cur)) return false;
      if (auto chain = fold_chain(outer, src))
        if (ts_node_start_byte(call) == ts_node_start_byte(chain->head) &&
            ts_node_end_byte(call) >= ts_node_end_byte(chain->head))
          return true;
      cur = outer;
    }
    return false;
  }

 private:
  static Value with_range(Value v, SourceRange r) {
    v.range = r;
    return v;
  }

  // Optional<ChatClient> -> ChatClient.
  TSNode contained_type(TSNode node, const SourceText& src) const {
    for (int depth = 0; depth < 8 && node_type(node) == "generic_type"; ++depth) {
      std::string outer = last_segment(path_of(ts_node_named_child(node, 0), src, 0));
      TSNode targs = ts_node_named_child(node, 1);
      if (!one_of(kContainerTypes, outer) || !named_count(targs)) return node;
      node = ts_node_named_child(targs, 0);
    }
    return node;
  }

  std::string chain_callee(const FoldedChain& chain, const SourceText& src, int depth) const {
    std::string head;
    if (node_type(chain.head) == "object_creation_expression")
      head = path_of(child_by_field(chain.head, "type"), src, depth + 1);
    else
      head = path_of(child_by_field(chain.head, "name"), src, depth + 1);
    if (head.empty()) return {};
    if (chain.kind == FoldedChain::Kind::Send) return head + "()." + std::string(chain.terminal);
    return head;
  }

  void plain_arguments(TSNode args, const SourceText& src, int depth, std::vector<Argument>& out) const {
    for (uint32_t i = 0; i < std::min(named_count(args), kMaxValueElements); ++i) {
      TSNode a = ts_node_named_child(args, i);
      if (ts_node_is_extra(a)) continue;
      out.push_back({"", value_of(a, src, depth)});
    }
  }

  std::vector<Argument> chain_arguments(const FoldedChain& chain, const SourceText& src, int depth) const {
    std::vector<Argument> out;
    plain_arguments(child_by_field(chain.head, "arguments"), src, depth, out);
    for (auto it = chain.setters.rbegin(); it != chain.setters.rend(); ++it) {
      auto m = method_call(*it, src);
      if (!m) continue;
      std::vector<Argument> inner;
      plain_arguments(m->args, src, depth + 1, inner);
      out.push_back(setter_argument(std::string(m->method), std::move(inner)));
      if (out.size() >= kMaxValueElements) break;
    }
    return out;
  }

  Value call_value(TSNode node, const SourceText& src, int depth) const {
    Value v;
    v.range = src.range_of(node);
    if (auto chain = fold_chain(node, src)) {
      bool built = chain->kind == FoldedChain::Kind::Build;
      v.kind = built ? (node_type(chain->head) == "object_creation_expression" ? Value::Kind::New : Value::Kind::Object)
                     : Value::Kind::Call;
      v.text = chain_callee(*chain, src, 0);
      v.args = chain_arguments(*chain, src, depth + 1);
      return v;
    }
    v.kind = Value::Kind::Call;
    v.text = path_of(child_by_field(node, "name"), src, 0);
    v.args = arguments_of(child_by_field(node, "arguments"), src, depth + 1);
    if (v.args.size() == 1 && one_of(kWrapperCalls, v.text)) return with_range(std::move(v.args.front().value), v.range);
    // System.getenv("X") stays a call; a getOrDefault(key, "default") default is the value read.
    return v;
  }
};

}  // namespace

std::unique_ptr<SyntaxAdapter> make_java_adapter() { return std::make_unique<JavaAdapter>(); }

}  // namespace gapmap::lang
