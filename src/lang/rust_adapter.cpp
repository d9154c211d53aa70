// Rust (tree-sitter-rust): how Rust spells paths, values, `use` trees, impl blocks, builder
// chains and Result handling.
#include <algorithm>
#include <array>
#include <cctype>
#include <string>

#include "lang/adapter.h"

namespace gapmap::lang {
namespace {

using namespace std::string_view_literals;

// Calls that hand back the value they are called on: ownership and locking plumbing, not data
// flow (`self.client.clone()`, `CLIENT.lock().await`, `resp.unwrap()`).
constexpr std::array kPlumbingMethods{
    "clone"sv,  "unwrap"sv,   "expect"sv, "as_ref"sv, "as_mut"sv,   "to_owned"sv,   "to_string"sv, "into"sv,
    "lock"sv,   "read"sv,     "write"sv,  "borrow"sv, "borrow_mut"sv, "as_str"sv,   "as_deref"sv,  "get_ref"sv,
    "deref"sv,  "cloned"sv,   "to_vec"sv,    "iter"sv,  "into_iter"sv,
    // An element of a list is read like the list: choices.first() like choices[0].
    "first"sv,  "last"sv,     "unwrap_or_default"sv,
    // Result/Option adapters that keep the value: anyhow's .context(..), .ok(), .ok_or(..).
    "context"sv, "with_context"sv, "ok"sv, "ok_or"sv, "ok_or_else"sv,
};
// Wrappers whose value is their single argument: `Arc::new(client)`, `Ok(Self { .. })`.
constexpr std::array kWrapperCalls{
    "Some"sv,       "Ok"sv,        "Box.new"sv,     "Arc.new"sv,    "Rc.new"sv,       "Mutex.new"sv,
    "RwLock.new"sv, "RefCell.new"sv, "Cell.new"sv,  "String.from"sv, "OnceCell.new"sv, "Pin.new"sv,
    "Box.pin"sv,
};
// Generic containers whose contents are what a field or parameter holds: Arc<Client>,
// Option<Box<dyn Llm>>.
// Web frameworks hand shared state in the same way: actix's web::Data<T>, axum's State<T>.
constexpr std::array kContainerTypes{"Arc"sv,      "Rc"sv,       "Box"sv,  "Option"sv, "Mutex"sv,
                                     "RwLock"sv,   "RefCell"sv,  "OnceCell"sv, "OnceLock"sv, "Cell"sv,
                                     "Data"sv,     "State"sv,    "Extension"sv, "Pin"sv,   "Weak"sv,
                                     "Result"sv};
// Builder chains end in a call that sends (`client.post(url).json(&b).send()`, the AWS SDK's
// `client.converse().model_id(m).send()`) or builds (`Args::default().model(m).build()`).
constexpr std::array kSendTerminals{"send"sv,      "send_json"sv,  "send_string"sv,
                                    "send_form"sv, "send_bytes"sv, "call"sv};

// `recv.method(args)`: the parts of a method call, or nothing.
struct MethodCall {
  TSNode receiver{};
  std::string_view method;
  TSNode args{};
};
std::optional<MethodCall> method_call(TSNode call, const SourceText& src) {
  if (node_type(call) != "call_expression") return std::nullopt;
  TSNode fn = child_by_field(call, "function");
  if (node_type(fn) == "generic_function") fn = child_by_field(fn, "function");
  if (node_type(fn) != "field_expression") return std::nullopt;
  return MethodCall{child_by_field(fn, "value"), src.text_of(child_by_field(fn, "field")),
                    child_by_field(call, "arguments")};
}

// `Type::assoc()` makes a value of Type (a constructor); `module::func()` is a free function.
bool is_constructor_call(TSNode call, const SourceText& src) {
  if (node_type(call) != "call_expression") return false;
  TSNode fn = child_by_field(call, "function");
  if (node_type(fn) == "generic_function") fn = child_by_field(fn, "function");
  if (node_type(fn) != "scoped_identifier") return false;
  TSNode owner = child_by_field(fn, "path");
  std::string_view name = node_type(owner) == "scoped_identifier" ? src.text_of(child_by_field(owner, "name"))
                          : node_type(owner) == "generic_type"    ? src.text_of(child_by_field(owner, "type"))
                                                                  : src.text_of(owner);
  return !name.empty() && std::isupper(static_cast<unsigned char>(name.front()));
}

// A builder chain read as one call: `head(args).setter(v)...terminal()`.
struct FoldedChain {
  enum class Kind { Send, Build, Options } kind = Kind::Send;
  TSNode head{};                      // the call whose callee names the chain
  std::vector<TSNode> setters;        // outermost first
  TSNode terminal_args{};             // send_json(body): the terminal's own arguments
};

// The chain ending at `call`, when `call` ends one: it sends, builds, or is the last of a run
// of with_* options (`OpenAIConfig::new().with_api_base(u)`).
std::optional<FoldedChain> fold_chain(TSNode call, const SourceText& src) {
  auto m = method_call(call, src);
  if (!m) return std::nullopt;
  FoldedChain chain;
  TSNode cur;
  if (one_of(kSendTerminals, m->method)) {
    chain.kind = FoldedChain::Kind::Send;
    chain.terminal_args = m->args;
    cur = m->receiver;
  } else if (m->method == "build" && argument_count(m->args) == 0) {
    chain.kind = FoldedChain::Kind::Build;
    cur = m->receiver;
  } else if (m->method.starts_with("with_")) {
    // Only the last of the run folds; the runs inside it are its setters.
    TSNode parent = ts_node_parent(call);
    if (node_type(parent) == "field_expression" && node_type(ts_node_parent(parent)) == "call_expression") {
      auto outer = method_call(ts_node_parent(parent), src);
      if (outer && outer->method.starts_with("with_")) return std::nullopt;
    }
    chain.kind = FoldedChain::Kind::Options;
    chain.setters.push_back(call);
    cur = m->receiver;
  } else {
    return std::nullopt;
  }
  for (int depth = 0; depth < kMaxPathDepth; ++depth) {
    auto step = method_call(cur, src);
    if (!step) break;
    bool receiver_is_call = node_type(step->receiver) == "call_expression";
    if (chain.kind == FoldedChain::Kind::Options && !step->method.starts_with("with_")) break;
    // The chain's head: the first method called on something that is not itself a call, or on a
    // freshly constructed value when the chain sends (`Client::new().post(url)...send()`).
    if (!receiver_is_call) break;
    if (chain.kind == FoldedChain::Kind::Send && is_constructor_call(step->receiver, src)) break;
    if (chain.kind == FoldedChain::Kind::Send && !method_call(step->receiver, src) &&
        !is_constructor_call(step->receiver, src)) {
      // ureq::post(url).set(..).send_json(b): the free function heads the chain.
      chain.setters.push_back(cur);
      cur = step->receiver;
      break;
    }
    chain.setters.push_back(cur);
    cur = step->receiver;
  }
  if (node_type(cur) != "call_expression") return std::nullopt;
  chain.head = cur;
  if (chain.kind == FoldedChain::Kind::Send && chain.setters.empty() && !method_call(cur, src)) return std::nullopt;
  return chain;
}

// The type an `impl` block is for, so `Self` reads as it.
std::string impl_type_name(TSNode node, const SourceText& src);

class RustAdapter final : public SyntaxAdapter {
 public:
  std::string path_of(TSNode node, const SourceText& src, int depth) const override {
    if (ts_node_is_null(node) || depth > kMaxPathDepth) return {};
    auto type = node_type(node);
    if (type == "identifier" || type == "field_identifier" || type == "type_identifier" || type == "self" ||
        type == "crate" || type == "super" || type == "primitive_type") {
      auto text = src.text_of(node);
      if (text == "Self") return impl_type_name(node, src);
      return std::string(text);
    }
    if (type == "scoped_identifier" || type == "scoped_type_identifier") {
      TSNode owner = child_by_field(node, "path");
      std::string name = path_of(child_by_field(node, "name"), src, depth + 1);
      if (ts_node_is_null(owner)) return name;
      std::string base = path_of(owner, src, depth + 1);
      return base.empty() || name.empty() ? std::string{} : base + "." + name;
    }
    if (type == "field_expression") {
      // The callee of a folded chain is its head's: `client.post(url).json(b).send` is client.post.
      if (TSNode call = ts_node_parent(node); node_type(call) == "call_expression" &&
                                                ts_node_eq(child_by_field(call, "function"), node))
        if (auto chain = fold_chain(call, src)) return path_of(child_by_field(chain->head, "function"), src, depth + 1);
      auto obj = path_of(child_by_field(node, "value"), src, depth + 1);
      if (obj.empty()) return {};
      return obj + "." + std::string(src.text_of(child_by_field(node, "field")));
    }
    if (type == "call_expression") {
      if (auto chain = fold_chain(node, src)) {
        auto head = path_of(child_by_field(chain->head, "function"), src, depth + 1);
        return head.empty() ? std::string{} : head + "()";
      }
      if (auto m = method_call(node, src); m && one_of(kPlumbingMethods, m->method))
        return path_of(m->receiver, src, depth + 1);
      auto fn = path_of(child_by_field(node, "function"), src, depth + 1);
      return fn.empty() ? std::string{} : fn + "()";
    }
    if (type == "generic_function" || type == "generic_type" || type == "generic_type_with_turbofish")
      return path_of(child_by_field(node, type == "generic_function" ? "function" : "type"), src, depth + 1);
    if (type == "index_expression") {
      auto v = path_of(ts_node_named_child(node, 0), src, depth + 1);
      return v.empty() ? std::string{} : v + "[]";
    }
    if (type == "reference_expression") return path_of(child_by_field(node, "value"), src, depth + 1);
    if (type == "reference_type" || type == "pointer_type") return path_of(child_by_field(node, "type"), src, depth + 1);
    if (type == "await_expression" || type == "try_expression" || type == "parenthesized_expression" ||
        type == "dynamic_type" || type == "abstract_type")
      return path_of(ts_node_named_child(node, 0), src, depth + 1);
    if (type == "unary_expression" && src.text_of(node).starts_with("*"))
      return path_of(ts_node_named_child(node, 0), src, depth + 1);
    return {};
  }

  Value value_of(TSNode node, const SourceText& src, int depth) const override {
    Value v;
    if (!begin_value(node, src, depth, v)) return v;
    auto type = node_type(node);
    if (type == "string_literal" || type == "raw_string_literal") {
      v.kind = Value::Kind::String;
      for (uint32_t i = 0; i < named_count(node); ++i) {
        TSNode part = ts_node_named_child(node, i);
        if (node_type(part) == "string_content") v.text += src.text_of(part);
        else if (node_type(part) == "escape_sequence") v.text += unescape(src.text_of(part));
      }
      return v;
    }
    if (type == "integer_literal" || type == "float_literal") {
      v.kind = Value::Kind::Number;
      v.text = src.text_of(node);
      return v;
    }
    if (type == "boolean_literal") {
      v.kind = Value::Kind::Bool;
      v.text = src.text_of(node);
      return v;
    }
    if (type == "unit_expression" || (type == "identifier" && src.text_of(node) == "None")) {
      v.kind = Value::Kind::Null;
      return v;
    }
    if (type == "identifier" || type == "self" || type == "scoped_identifier" || type == "field_expression" ||
        type == "index_expression") {
      v.text = path_of(node, src, 0);
      v.kind = v.text.empty() ? Value::Kind::Other : Value::Kind::Name;
      return v;
    }
    if (type == "type_identifier" || type == "scoped_type_identifier" || type == "generic_type" ||
        type == "reference_type" || type == "dynamic_type" || type == "abstract_type" || type == "pointer_type") {
      // `client: Arc<Client<OpenAIConfig>>`: the declared type, seen through its containers.
      TSNode t = contained_type(node, src);
      v.text = path_of(t, src, 0);
      v.kind = v.text.empty() ? Value::Kind::Other : Value::Kind::TypeRef;
      return v;
    }
    if (type == "await_expression" || type == "try_expression" || type == "parenthesized_expression")
      return with_range(value_of(ts_node_named_child(node, 0), src, depth + 1), v.range);
    if (type == "reference_expression") return with_range(value_of(child_by_field(node, "value"), src, depth + 1), v.range);
    if (type == "unary_expression" && src.text_of(node).starts_with("*"))
      return value_of(ts_node_named_child(node, 0), src, depth + 1);
    if (type == "type_cast_expression") return value_of(child_by_field(node, "value"), src, depth + 1);
    if (type == "call_expression") return call_value(node, src, depth);
    if (type == "macro_invocation") return macro_value(node, src, depth);
    if (type == "struct_expression") {
      // Request { model: "gpt-4o".into(), stream: true, ..Default::default() }: an object whose
      // type rides along as its text, so a struct of a client type still resolves.
      v.kind = Value::Kind::Object;
      v.text = path_of(child_by_field(node, "name"), src, 0);
      TSNode body = child_by_field(node, "body");
      uint32_t n = std::min(named_count(body), kMaxValueElements);
      for (uint32_t i = 0; i < n; ++i) {
        TSNode e = ts_node_named_child(body, i);
        if (node_type(e) == "field_initializer") {
          v.args.push_back({std::string(src.text_of(child_by_field(e, "field"))),
                            value_of(child_by_field(e, "value"), src, depth + 1)});
        } else if (node_type(e) == "shorthand_field_initializer" && named_count(e)) {
          TSNode id = ts_node_named_child(e, 0);
          v.args.push_back({std::string(src.text_of(id)), value_of(id, src, depth + 1)});
        }
      }
      return v;
    }
    if (type == "array_expression" || type == "tuple_expression") {
      v.kind = Value::Kind::List;
      for (uint32_t i = 0; i < std::min(named_count(node), kMaxValueElements); ++i) {
        TSNode e = ts_node_named_child(node, i);
        if (!ts_node_is_extra(e)) v.args.push_back({"", value_of(e, src, depth + 1)});
      }
      return v;
    }
    if (type == "closure_expression" || type == "async_block") {
      v.kind = Value::Kind::Lambda;
      // || client.chat().create(req): name the call the closure makes.
      TSNode body = type == "async_block" ? ts_node_named_child(node, 0) : child_by_field(node, "body");
      if (TSNode tail = tail_expression(body); !ts_node_is_null(tail)) {
        Value r = value_of(tail, src, depth + 1);
        if (r.kind == Value::Kind::Call) v.text = r.text;
      }
      return v;
    }
    if (auto joined = string_concatenation(*this, node, src, depth)) return *joined;
    if (type == "match_expression") {
      // match call().await { Ok(r) => r, Err(e) => .. }: the value comes from the call; a match
      // choosing among values (`Provider::A => client_a`) may be any of them.
      TSNode body = child_by_field(node, "body");
      Value out;
      bool result_match = false;
      for (uint32_t i = 0; i < std::min(named_count(body), kMaxValueElements); ++i) {
        TSNode arm = ts_node_named_child(body, i);
        if (node_type(arm) != "match_arm") continue;
        auto pattern = src.text_of(child_by_field(arm, "pattern"));
        if (pattern.starts_with("Ok") || pattern.starts_with("Err") || pattern.starts_with("Some")) result_match = true;
        out = i == 0 ? value_of(tail_expression(child_by_field(arm, "value")), src, depth + 1)
                     : with_alternative(std::move(out), value_of(tail_expression(child_by_field(arm, "value")), src, depth + 1));
      }
      // The call's own range is kept: checks follow the binding that holds the call's result.
      if (result_match) return value_of(child_by_field(node, "value"), src, depth + 1);
      return with_range(std::move(out), v.range);
    }
    if (type == "if_expression") {
      Value a = value_of(tail_expression(child_by_field(node, "consequence")), src, depth + 1);
      TSNode alt = child_by_field(node, "alternative");
      Value b = named_count(alt) ? value_of(tail_expression(ts_node_named_child(alt, 0)), src, depth + 1)
                                                : Value{};
      return with_range(with_alternative(std::move(a), std::move(b)), v.range);
    }
    v.kind = Value::Kind::Other;
    v.text = std::string(src.text_of(node).substr(0, 120));
    return v;
  }

  std::vector<Argument> arguments_of(TSNode args, const SourceText& src, int depth) const override {
    std::vector<Argument> out;
    if (ts_node_is_null(args)) return out;
    // The extractor hands over a call's arguments; a folded chain's are its head's plus setters.
    TSNode call = ts_node_parent(args);
    if (node_type(call) == "call_expression")
      if (auto chain = fold_chain(call, src)) return chain_arguments(*chain, src, depth);
    plain_arguments(args, src, depth, out);
    return out;
  }

  void imports_of(TSNode node, const SourceText& src, std::vector<Import>& out) const override {
    auto type = node_type(node);
    if (type == "use_declaration") {
      use_tree(child_by_field(node, "argument"), "", src, src.range_of(node), out);
      return;
    }
    if (type == "mod_item") {
      // `mod llm;` declares the child module in llm.rs or llm/mod.rs.
      std::string name(src.text_of(child_by_field(node, "name")));
      out.push_back({name, "self." + name, "", src.range_of(node)});
      return;
    }
    if (type == "scoped_identifier" || type == "scoped_type_identifier") {
      // A crate's path used without `use` (async_openai::Client::new()): crate roots are in scope.
      TSNode root = child_by_field(node, "path");
      if (node_type(root) != "identifier") return;
      for (TSNode p = ts_node_parent(node); !ts_node_is_null(p); p = ts_node_parent(p)) {
        auto pt = node_type(p);
        if (pt == "use_declaration") return;  // `use a::{config::X}`: config is a path of `a`
        if (pt != "scoped_identifier" && pt != "scoped_use_list" && pt != "use_list" && pt != "use_as_clause" &&
            pt != "use_wildcard")
          break;
      }
      std::string name(src.text_of(root));
      if (name.empty() || std::isupper(static_cast<unsigned char>(name.front()))) return;
      out.push_back({name, name, "", src.range_of(root)});
    }
  }

  void bindings_of(TSNode target, TSNode value, const SourceText& src, Binding base, std::vector<Binding>& bindings,
                   std::vector<Import>&) const override {
    if (node_type(value) == "field_initializer_list") {
      // Self { client, model: m }: each field set is an attribute of the type.
      std::string cls = path_of(target, src, 0);
      if (cls.empty()) return;
      for (uint32_t i = 0; i < std::min(named_count(value), kMaxValueElements); ++i) {
        TSNode e = ts_node_named_child(value, i);
        std::string field;
        Value v;
        if (node_type(e) == "field_initializer") {
          field = src.text_of(child_by_field(e, "field"));
          v = value_of(child_by_field(e, "value"), src, 0);
        } else if (node_type(e) == "shorthand_field_initializer" && named_count(e)) {
          field = src.text_of(ts_node_named_child(e, 0));
          v = value_of(ts_node_named_child(e, 0), src, 0);
        } else {
          continue;
        }
        Binding b = base;
        b.target = "self." + field;
        b.class_name = cls;
        b.value = std::move(v);
        b.range = src.range_of(e);
        bindings.push_back(std::move(b));
      }
      return;
    }
    std::string p = pattern_name(target, src);
    if (p.empty() || p == "_") return;
    base.target = std::move(p);
    base.value = value_of(value, src, 0);
    // let answer: Answer = serde_json::from_str(&text)?: the declared type is what it parses into.
    TSNode decl = ts_node_parent(target);
    if (node_type(decl) == "let_declaration" && base.value.kind == Value::Kind::Call)
      if (TSNode type = child_by_field(decl, "type"); !ts_node_is_null(type) && !ts_node_eq(type, value))
        base.value.args.push_back({std::string(kParsedTypeArg), value_of(type, src, 0)});
    bindings.push_back(std::move(base));
  }

  std::string function_name(TSNode fn, const SourceText& src) const override {
    TSNode name = child_by_field(fn, "name");
    if (!ts_node_is_null(name)) return std::string(src.text_of(name));
    // A closure takes the name it is bound to: `let ask = |q| client.chat()...`.
    TSNode parent = ts_node_parent(fn);
    if (node_type(parent) == "let_declaration") {
      std::string p = pattern_name(child_by_field(parent, "pattern"), src);
      if (!p.empty()) return p;
    }
    return "<lambda>";
  }

  std::vector<Value> decorators_of(TSNode fn, const SourceText& src) const override {
    // #[tracing::instrument(skip(self))] sits before the function as attribute items.
    std::vector<Value> out;
    for (TSNode s = ts_node_prev_named_sibling(fn); !ts_node_is_null(s); s = ts_node_prev_named_sibling(s)) {
      auto t = node_type(s);
      if (t == "line_comment" || t == "block_comment") continue;
      if (t != "attribute_item") break;
      TSNode attr = ts_node_named_child(s, 0);
      if (node_type(attr) != "attribute" || !named_count(attr)) continue;
      Value v;
      v.range = src.range_of(s);
      v.text = path_of(ts_node_named_child(attr, 0), src, 0);
      v.kind = ts_node_is_null(child_by_field(attr, "arguments")) ? Value::Kind::Name : Value::Kind::Call;
      if (!v.text.empty()) out.push_back(std::move(v));
    }
    std::reverse(out.begin(), out.end());
    return out;
  }

  void parameters_of(TSNode fn, const SourceText& src, Function& f, std::vector<Binding>& typed) const override {
    // `fn client(&self) -> &Client`: the declared return type is what a caller gets, even when
    // the body hands back a field or a call gapmap cannot follow.
    if (TSNode ret = child_by_field(fn, "return_type"); !ts_node_is_null(ret)) {
      Value declared = value_of(ret, src, 0);
      if (declared.kind == Value::Kind::TypeRef && declared.text != "Self" && declared.text != "String" &&
          declared.text != "str")
        f.returns.push_back(std::move(declared));
    }
    TSNode params = child_by_field(fn, "parameters");
    for (uint32_t i = 0; i < named_count(params); ++i) {
      TSNode p = ts_node_named_child(params, i);
      auto pt = node_type(p);
      if (pt != "parameter" && pt != "identifier" && pt != "closure_parameter") continue;
      TSNode pattern = pt == "parameter" ? child_by_field(p, "pattern") : p;
      std::string name = pattern_name(pattern, src);
      if (name.empty()) continue;
      f.params.push_back(name);
      TSNode type_node = child_by_field(p, "type");
      if (ts_node_is_null(type_node)) continue;
      std::string tpath = path_of(contained_type(type_node, src), src, 0);
      if (!tpath.empty()) typed.push_back(typed_parameter(name, tpath, src.range_of(type_node), src.range_of(p)));
    }
  }

  std::optional<TSNode> expression_body(TSNode fn) const override {
    // `|q| client.prompt(q)`: the closure's expression is what it returns.
    if (node_type(fn) != "closure_expression") return std::nullopt;
    TSNode body = child_by_field(fn, "body");
    if (ts_node_is_null(body) || node_type(body) == "block") return std::nullopt;
    return body;
  }

  void handlers_of(TSNode node, const SourceText& src, HandlerRegion& region) const override {
    if (node_type(node) == "expression_statement" && named_count(node))
      node = ts_node_named_child(node, 0);
    auto type = node_type(node);
    if (type == "match_expression") {
      // The Err(..) arms, and a catch-all arm after the Ok arm.
      TSNode body = child_by_field(node, "body");
      for (uint32_t i = 0; i < named_count(body); ++i) {
        TSNode arm = ts_node_named_child(body, i);
        if (node_type(arm) != "match_arm") continue;
        auto pattern = src.text_of(child_by_field(arm, "pattern"));
        if (pattern.starts_with("Err") || pattern == "_" || pattern.starts_with("None"))
          region.handlers.push_back(src.range_of(child_by_field(arm, "value")));
      }
      return;
    }
    if (type == "if_expression") {
      // if let Err(e) = call() { handler }   /   if let Ok(r) = call() { .. } else { handler }
      TSNode cond = child_by_field(node, "condition");
      auto pattern = src.text_of(child_by_field(cond, "pattern"));
      if (pattern.starts_with("Err")) {
        region.handlers.push_back(src.range_of(child_by_field(node, "consequence")));
      } else if (TSNode alt = child_by_field(node, "alternative"); !ts_node_is_null(alt)) {
        region.handlers.push_back(src.range_of(alt));
      }
      return;
    }
    if (type == "let_declaration") {
      // let Ok(r) = call().await else { handler };
      if (TSNode alt = child_by_field(node, "alternative"); !ts_node_is_null(alt))
        region.handlers.push_back(src.range_of(alt));
      return;
    }
    if (type == "call_expression") {
      // call().or_else(|e| ..) / .unwrap_or_else(|_| ..) / .unwrap_or(default)
      TSNode args = child_by_field(node, "arguments");
      if (!ts_node_is_null(args)) region.handlers.push_back(src.range_of(args));
    }
  }

  std::string_view self_name() const override { return "self"; }

  std::optional<Receiver> receiver_of(TSNode fn, const SourceText& src) const override {
    // Functions of an `impl Type` (or `impl Trait for Type`) block are Type's methods; a trait's
    // provided methods belong to the trait.
    if (node_type(fn) != "function_item") return std::nullopt;
    TSNode list = ts_node_parent(fn);
    if (node_type(list) != "declaration_list") return std::nullopt;
    TSNode owner = ts_node_parent(list);
    std::string type;
    if (node_type(owner) == "impl_item") type = path_of(child_by_field(owner, "type"), src, 0);
    else if (node_type(owner) == "trait_item") type = src.text_of(child_by_field(owner, "name"));
    if (type.empty()) return std::nullopt;
    return Receiver{"self", last_segment(type)};
  }

  bool folded_call(TSNode call, const SourceText& src) const override {
    // A call inside a builder chain that an outer call folds: `client.post(url)` and `.json(b)`
    // in `client.post(url).json(b).send()` are that one call.
    TSNode cur = call;
    for (int depth = 0; depth < kMaxPathDepth; ++depth) {
      TSNode field = ts_node_parent(cur);
      if (node_type(field) != "field_expression") return false;
      TSNode outer = ts_node_parent(field);
      if (node_type(outer) != "call_expression") return false;
      if (auto chain = fold_chain(outer, src)) {
        uint32_t head_start = ts_node_start_byte(chain->head), head_end = ts_node_end_byte(chain->head);
        uint32_t start = ts_node_start_byte(call), end = ts_node_end_byte(call);
        // The head and the setters nest around it; anything inside the head's callee is not folded.
        if (start == head_start && end >= head_end) return true;
      }
      cur = outer;
    }
    return false;
  }

  void finish(FileSummary& out) const override {
    // Crate roots seen in paths are imports of last resort: an explicit `use` or `mod` of the same
    // name wins, and each name is kept once.
    std::vector<Import> kept;
    kept.reserve(out.imports.size());
    auto implicit = [](const Import& i) { return i.symbol.empty() && i.module == i.local; };
    for (auto& imp : out.imports) {
      bool dup = std::any_of(kept.begin(), kept.end(), [&](const Import& k) {
        return k.local == imp.local && (implicit(imp) || (k.module == imp.module && k.symbol == imp.symbol));
      });
      if (dup) continue;
      if (!implicit(imp))
        std::erase_if(kept, [&](const Import& k) { return implicit(k) && k.local == imp.local; });
      kept.push_back(std::move(imp));
    }
    std::stable_partition(kept.begin(), kept.end(), [&](const Import& i) { return !implicit(i); });
    out.imports = std::move(kept);
  }

 private:
  // use a::b::{c, d::e as f, self, *}: one import per name, module paths dotted.
  void use_tree(TSNode node, const std::string& prefix, const SourceText& src, SourceRange range,
                std::vector<Import>& out, int depth = 0) const {
    if (ts_node_is_null(node) || depth > kMaxPathDepth) return;
    auto type = node_type(node);
    auto joined = [&](const std::string& p) { return prefix.empty() ? p : p.empty() ? prefix : prefix + "." + p; };
    if (type == "scoped_use_list") {
      std::string base = path_of(child_by_field(node, "path"), src, 0);
      use_tree(child_by_field(node, "list"), joined(base), src, range, out, depth + 1);
    } else if (type == "use_list") {
      for (uint32_t i = 0; i < std::min(named_count(node), kMaxValueElements); ++i)
        use_tree(ts_node_named_child(node, i), prefix, src, range, out, depth + 1);
    } else if (type == "use_as_clause") {
      std::string full = joined(path_of(child_by_field(node, "path"), src, 0));
      std::string alias(src.text_of(child_by_field(node, "alias")));
      auto dot = full.rfind('.');
      if (alias == "_") return;
      if (dot == std::string::npos) out.push_back({alias, full, "", range});
      else out.push_back({alias, full.substr(0, dot), full.substr(dot + 1), range});
    } else if (type == "use_wildcard") {
      std::string base = named_count(node) ? path_of(ts_node_named_child(node, 0), src, 0) : "";
      out.push_back({"*", joined(base), "*", range});
    } else if (type == "self" && !prefix.empty()) {
      // use a::b::{self}: the module b itself.
      auto dot = prefix.rfind('.');
      std::string local = last_segment(prefix);
      if (dot == std::string::npos) out.push_back({local, prefix, "", range});
      else out.push_back({local, prefix.substr(0, dot), local, range});
    } else {
      std::string full = joined(path_of(node, src, 0));
      if (full.empty()) return;
      auto dot = full.rfind('.');
      // `use serde_json;` names a crate; `use a::b::C;` names C in module a::b.
      if (dot == std::string::npos) out.push_back({full, full, "", range});
      else out.push_back({full.substr(dot + 1), full.substr(0, dot), full.substr(dot + 1), range});
    }
  }

  static Value with_range(Value v, SourceRange r) {
    v.range = r;
    return v;
  }

  static std::string unescape(std::string_view esc) {
    if (esc == "\\n") return "\n";
    if (esc == "\\t") return "\t";
    if (esc.size() == 2) return std::string(esc.substr(1));
    return std::string(esc);
  }

  // The last expression of a block (its value), or the node itself when it is no block.
  static TSNode tail_expression(TSNode node) {
    if (ts_node_is_null(node) || node_type(node) != "block") return node;
    for (uint32_t i = named_count(node); i > 0; --i) {
      TSNode c = ts_node_named_child(node, i - 1);
      if (ts_node_is_extra(c)) continue;
      auto t = node_type(c);
      if (t == "expression_statement" || t == "let_declaration" || t.ends_with("_item")) return TSNode{};
      return c;
    }
    return TSNode{};
  }

  // Arc<Mutex<Client>> -> Client; Option<Box<dyn Llm>> -> Llm.
  TSNode contained_type(TSNode node, const SourceText& src) const {
    for (int depth = 0; depth < kMaxPathDepth; ++depth) {
      auto t = node_type(node);
      if (t == "reference_type" || t == "pointer_type") {
        node = child_by_field(node, "type");
      } else if (t == "dynamic_type" || t == "abstract_type") {
        node = ts_node_named_child(node, 0);
      } else if (t == "generic_type") {
        std::string outer = last_segment(path_of(child_by_field(node, "type"), src, 0));
        TSNode targs = child_by_field(node, "type_arguments");
        if (!one_of(kContainerTypes, outer) || !named_count(targs)) return node;
        node = ts_node_named_child(targs, 0);
      } else {
        return node;
      }
    }
    return node;
  }

  // The name a pattern binds: x, mut x, ref x, Some(x), Ok(x), (x, _).
  std::string pattern_name(TSNode pattern, const SourceText& src) const {
    for (int depth = 0; depth < kMaxPathDepth && !ts_node_is_null(pattern); ++depth) {
      auto t = node_type(pattern);
      if (t == "identifier" || t == "field_expression" || t == "self") return path_of(pattern, src, 0);
      if (t == "mut_pattern" || t == "ref_pattern" || t == "reference_pattern" || t == "tuple_pattern" ||
          t == "closure_parameter") {
        pattern = ts_node_named_child(pattern, t == "mut_pattern" || t == "ref_pattern" ? named_count(pattern) - 1 : 0);
        continue;
      }
      if (t == "tuple_struct_pattern") {
        auto ctor = src.text_of(child_by_field(pattern, "type"));
        if (ctor != "Some" && ctor != "Ok") return {};
        pattern = ts_node_named_child(pattern, 1);
        continue;
      }
      return {};
    }
    return {};
  }

  void plain_arguments(TSNode args, const SourceText& src, int depth, std::vector<Argument>& out) const {
    for (uint32_t i = 0; i < std::min(named_count(args), kMaxValueElements); ++i) {
      TSNode a = ts_node_named_child(args, i);
      if (ts_node_is_extra(a) || node_type(a) == "attribute_item") continue;
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
    if (!ts_node_is_null(chain.terminal_args) && argument_count(chain.terminal_args)) {
      std::vector<Argument> inner;
      plain_arguments(chain.terminal_args, src, depth + 1, inner);
      if (auto m = method_call(ts_node_parent(chain.terminal_args), src))
        out.push_back({std::string(m->method), std::move(inner.front().value)});
    }
    return out;
  }

  Value call_value(TSNode node, const SourceText& src, int depth) const {
    Value v;
    v.range = src.range_of(node);
    if (auto chain = fold_chain(node, src)) {
      v.kind = chain->kind == FoldedChain::Kind::Build ? Value::Kind::Object : Value::Kind::Call;
      v.text = path_of(child_by_field(chain->head, "function"), src, 0);
      v.args = chain_arguments(*chain, src, depth + 1);
      return v;
    }
    if (auto m = method_call(node, src)) {
      if (one_of(kPlumbingMethods, m->method)) return with_range(value_of(m->receiver, src, depth + 1), v.range);
      // env::var("URL").unwrap_or("https://...".into()): the value, else the default.
      if (m->method == "unwrap_or" || m->method == "unwrap_or_else" || m->method == "or") {
        std::vector<Argument> d;
        plain_arguments(m->args, src, depth + 1, d);
        Value fallback = d.empty() ? Value{} : std::move(d.front().value);
        if (fallback.kind == Value::Kind::Lambda) fallback = Value{};
        Value value = value_of(m->receiver, src, depth + 1);
        // env::var("BASE_URL").unwrap_or("https://...".into()): the literal is all a reader can know.
        if (value.kind == Value::Kind::Call && fallback.is_string_like()) return with_range(std::move(fallback), v.range);
        return with_range(with_default(std::move(value), std::move(fallback)), v.range);
      }
    }
    TSNode fn = child_by_field(node, "function");
    v.kind = Value::Kind::Call;
    v.text = path_of(fn, src, 0);
    v.args = arguments_of(child_by_field(node, "arguments"), src, depth + 1);
    // serde_json::from_str::<Answer>(text): the type the result is parsed into rides along.
    if (node_type(fn) == "generic_function")
      if (TSNode targs = child_by_field(fn, "type_arguments"); named_count(targs))
        v.args.push_back({std::string(kParsedTypeArg), value_of(ts_node_named_child(targs, 0), src, depth + 1)});
    if (one_of(kWrapperCalls, v.text.size() > 8 ? strip_std(v.text) : v.text) && v.args.size() == 1)
      return with_range(std::move(v.args.front().value), v.range);
    return v;
  }

  // std::sync::Arc::new -> Arc.new
  static std::string_view strip_std(std::string_view path) {
    auto last = path.rfind('.');
    if (last == std::string_view::npos || last == 0) return path;
    auto prev = path.rfind('.', last - 1);
    return prev == std::string_view::npos ? path : path.substr(prev + 1);
  }

  // format!("{}/v1/chat/completions", base), json!({"model": m}), vec![..]: macro arguments
  // are token trees, read here for the shapes that carry URLs and request bodies.
  Value macro_value(TSNode node, const SourceText& src, int depth) const {
    Value v;
    v.range = src.range_of(node);
    std::string name = last_segment(path_of(child_by_field(node, "macro"), src, 0));
    TSNode tree;
    for (uint32_t i = 0; i < named_count(node); ++i)
      if (node_type(ts_node_named_child(node, i)) == "token_tree") tree = ts_node_named_child(node, i);
    if (ts_node_is_null(tree)) {
      v.kind = Value::Kind::Other;
      return v;
    }
    auto items = split_tokens(tree);
    if (name == "format" || name == "format_args" || name == "concat") {
      if (items.empty()) return v;
      Value first = token_value(items.front(), src, depth + 1);
      if (name == "concat") {
        Value out = first;
        for (size_t i = 1; i < items.size(); ++i)
          out = concat_strings(std::move(out), token_value(items[i], src, depth + 1), v.range);
        return out;
      }
      if (first.kind != Value::Kind::String) return v;
      v.kind = Value::Kind::Template;
      // format!("{url}/api", url = self.url): named arguments fill holes by name.
      std::vector<std::pair<std::string_view, TokenRun>> named;
      std::vector<TokenRun> positional;
      for (size_t i = 1; i < items.size(); ++i) {
        const TokenRun& item = items[i];
        if (item.size() >= 3 && node_type(item[0]) == "identifier" && node_type(item[1]) == "=")
          named.emplace_back(src.text_of(item[0]), TokenRun(item.begin() + 2, item.end()));
        else
          positional.push_back(item);
      }
      size_t next = 0;
      const std::string& format = first.text;
      for (size_t i = 0; i < format.size(); ++i) {
        char c = format[i];
        if ((c == '{' || c == '}') && i + 1 < format.size() && format[i + 1] == c) {
          v.text += c;
          ++i;
          continue;
        }
        if (c != '{') {
          v.text += c;
          continue;
        }
        size_t close = format.find('}', i);
        if (close == std::string::npos) break;
        std::string_view hole(format.data() + i + 1, close - i - 1);
        hole = hole.substr(0, hole.find(':'));
        Value arg;
        if (!hole.empty() && !std::isdigit(static_cast<unsigned char>(hole.front()))) {
          auto it = std::find_if(named.begin(), named.end(), [&](const auto& n) { return n.first == hole; });
          if (it != named.end()) {
            arg = token_value(it->second, src, depth + 1);
          } else {
            arg.kind = Value::Kind::Name;  // format!("{base}/chat"): an inline variable
            arg.text = hole;
          }
        } else if (next < positional.size()) {
          arg = token_value(positional[next++], src, depth + 1);
        }
        v.text += "{}";
        v.args.push_back({"", std::move(arg)});
        i = close;
      }
      return v;
    }
    if (name == "json") return items.size() == 1 ? token_value(items.front(), src, depth + 1) : v;
    if (name == "vec") {
      v.kind = Value::Kind::List;
      for (size_t i = 0; i < items.size() && i < kMaxValueElements; ++i)
        v.args.push_back({"", token_value(items[i], src, depth + 1)});
      return v;
    }
    v.kind = Value::Kind::Other;
    v.text = std::string(src.text_of(node).substr(0, 120));
    return v;
  }

  // The comma-separated items of a token tree, each a run of tokens.
  using TokenRun = std::vector<TSNode>;
  static std::vector<TokenRun> split_tokens(TSNode tree) {
    std::vector<TokenRun> out(1);
    uint32_t n = ts_node_is_null(tree) ? 0 : ts_node_child_count(tree);
    for (uint32_t i = 0; i < n; ++i) {
      TSNode c = ts_node_child(tree, i);
      auto t = node_type(c);
      if ((i == 0 || i + 1 == n) && (t == "(" || t == ")" || t == "[" || t == "]" || t == "{" || t == "}")) continue;
      if (t == "," || t == ";") {
        out.emplace_back();
        continue;
      }
      if (ts_node_is_extra(c)) continue;
      out.back().push_back(c);
    }
    if (out.back().empty()) out.pop_back();
    return out;
  }

  // One macro argument as a value: a literal, a dotted name, or a nested json!-style object.
  Value token_value(const TokenRun& run, const SourceText& src, int depth) const {
    Value v;
    if (run.empty() || depth > kMaxValueDepth) return v;
    v.range = src.range_of(run.front());
    if (run.size() == 1) {
      TSNode t = run.front();
      auto type = node_type(t);
      if (type == "token_tree") return tree_value(t, src, depth);
      if (type == "string_literal" || type == "raw_string_literal" || type == "integer_literal" ||
          type == "float_literal" || type == "boolean_literal")
        return value_of(t, src, depth);
      if (type == "identifier" || type == "self") {
        if (src.text_of(t) == "true" || src.text_of(t) == "false") {
          v.kind = Value::Kind::Bool;
          v.text = src.text_of(t);
          return v;
        }
        v.kind = Value::Kind::Name;
        v.text = src.text_of(t);
        return v;
      }
    }
    // &self.model, config.base_url: a dotted path spelled as tokens.
    std::string path;
    bool dotted = true;
    for (TSNode t : run) {
      auto type = node_type(t);
      if (type == "&" && path.empty()) continue;
      if (type == "identifier" || type == "self") path += src.text_of(t);
      else if (type == "." && !path.empty()) path += '.';
      else dotted = false;
    }
    if (dotted && !path.empty() && !path.ends_with(".")) {
      v.kind = Value::Kind::Name;
      v.text = std::move(path);
      return v;
    }
    v.kind = Value::Kind::Other;
    return v;
  }

  // {"model": m, "stream": true} / [a, b] inside json!.
  Value tree_value(TSNode tree, const SourceText& src, int depth) const {
    Value v;
    v.range = src.range_of(tree);
    auto open = node_type(ts_node_child(tree, 0));
    auto items = split_tokens(tree);
    if (open == "[") {
      v.kind = Value::Kind::List;
      for (size_t i = 0; i < items.size() && i < kMaxValueElements; ++i)
        v.args.push_back({"", token_value(items[i], src, depth + 1)});
      return v;
    }
    if (open != "{") return token_value(items.size() == 1 ? items.front() : TokenRun{}, src, depth + 1);
    v.kind = Value::Kind::Object;
    for (size_t i = 0; i < items.size() && i < kMaxValueElements; ++i) {
      const TokenRun& item = items[i];
      auto colon = std::find_if(item.begin(), item.end(), [](TSNode t) { return node_type(t) == ":"; });
      if (colon == item.end() || colon == item.begin()) continue;
      Value key = value_of(item.front(), src, depth + 1);
      if (key.kind != Value::Kind::String) continue;
      v.args.push_back({key.text, token_value(TokenRun(colon + 1, item.end()), src, depth + 1)});
    }
    return v;
  }
};

std::string impl_type_name(TSNode node, const SourceText& src) {
  for (TSNode p = ts_node_parent(node); !ts_node_is_null(p); p = ts_node_parent(p)) {
    if (node_type(p) != "impl_item") continue;
    TSNode t = child_by_field(p, "type");
    if (node_type(t) == "generic_type") t = child_by_field(t, "type");
    auto text = src.text_of(t);
    auto colons = text.rfind("::");
    return std::string(colons == std::string_view::npos ? text : text.substr(colons + 2));
  }
  return "Self";
}

}  // namespace

std::unique_ptr<SyntaxAdapter> make_rust_adapter() { return std::make_unique<RustAdapter>(); }

}  // namespace gapmap::lang
