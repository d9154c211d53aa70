// Python (tree-sitter-python): how Python spells paths, values, imports and handlers.
#include <algorithm>
#include <string>

#include "lang/adapter.h"

namespace gapmap::lang {
namespace {

class PythonAdapter final : public SyntaxAdapter {
 public:
  std::string path_of(TSNode node, const SourceText& src, int depth) const override {
    if (ts_node_is_null(node) || depth > kMaxPathDepth) return {};
    auto type = node_type(node);
    if (type == "identifier") return std::string(src.text_of(node));
    if (type == "attribute") {
      auto obj = path_of(child_by_field(node, "object"), src, depth + 1);
      if (obj.empty()) return {};
      return obj + "." + std::string(src.text_of(child_by_field(node, "attribute")));
    }
    if (type == "call") {
      auto fn = path_of(child_by_field(node, "function"), src, depth + 1);
      return fn.empty() ? std::string{} : fn + "()";
    }
    if (type == "subscript") {
      auto v = path_of(child_by_field(node, "value"), src, depth + 1);
      return v.empty() ? std::string{} : v + "[]";
    }
    if (type == "await" || type == "parenthesized_expression") {
      return ts_node_named_child_count(node) ? path_of(ts_node_named_child(node, 0), src, depth + 1) : "";
    }
    return {};
  }

  Value value_of(TSNode node, const SourceText& src, int depth) const override {
    Value v;
    if (!begin_value(node, src, depth, v)) return v;
    auto type = node_type(node);
    if (type == "string") return string_value(node, src, depth);
    if (type == "concatenated_string") {
      v.kind = Value::Kind::String;
      for (uint32_t i = 0; i < ts_node_named_child_count(node); ++i) {
        Value part = string_value(ts_node_named_child(node, i), src, depth);
        if (part.kind == Value::Kind::Template) v.kind = Value::Kind::Template;
        v.text += part.text;
        for (auto& a : part.args) v.args.push_back(std::move(a));
      }
      return v;
    }
    if (type == "integer" || type == "float") {
      v.kind = Value::Kind::Number;
      v.text = src.text_of(node);
      return v;
    }
    if (type == "true" || type == "false") {
      v.kind = Value::Kind::Bool;
      v.text = type == "true" ? "true" : "false";
      return v;
    }
    if (type == "none") {
      v.kind = Value::Kind::Null;
      return v;
    }
    if (type == "identifier" || type == "attribute" || type == "subscript") {
      v.kind = Value::Kind::Name;
      v.text = path_of(node, src, 0);
      if (v.text.empty()) v.kind = Value::Kind::Other;
      return v;
    }
    if (type == "call") {
      v.kind = Value::Kind::Call;
      v.text = path_of(child_by_field(node, "function"), src, 0);
      v.args = arguments_of(child_by_field(node, "arguments"), src, depth + 1);
      return v;
    }
    if (type == "await" || type == "parenthesized_expression") {
      // depth + 1: "((((...))))" a hundred thousand deep must not recurse a hundred thousand times.
      if (ts_node_named_child_count(node)) return value_of(ts_node_named_child(node, 0), src, depth + 1);
    }
    if (type == "dictionary") {
      v.kind = Value::Kind::Object;
      for (uint32_t i = 0; i < std::min(ts_node_named_child_count(node), kMaxValueElements); ++i) {
        TSNode pair = ts_node_named_child(node, i);
        if (node_type(pair) == "pair") {
          Value key = value_of(child_by_field(pair, "key"), src, depth + 1);
          v.args.push_back({key.kind == Value::Kind::String ? key.text : std::string(src.text_of(child_by_field(pair, "key"))),
                            value_of(child_by_field(pair, "value"), src, depth + 1)});
        } else if (node_type(pair) == "dictionary_splat") {
          v.args.push_back({"**", value_of(ts_node_named_child(pair, 0), src, depth + 1)});
        }
      }
      return v;
    }
    if (type == "list" || type == "tuple" || type == "set") {
      v.kind = Value::Kind::List;
      for (uint32_t i = 0; i < std::min(ts_node_named_child_count(node), kMaxValueElements); ++i)
        v.args.push_back({"", value_of(ts_node_named_child(node, i), src, depth + 1)});
      return v;
    }
    if (type == "lambda") {
      v.kind = Value::Kind::Lambda;
      TSNode body = child_by_field(node, "body");
      if (node_type(body) == "call") v.text = path_of(child_by_field(body, "function"), src, 0);
      return v;
    }
    if (type == "binary_operator") {
      // "BASE + '/v1/chat'" keeps its literal parts so URLs built by concatenation still resolve.
      TSNode op = child_by_field(node, "operator");
      if (src.text_of(op) == "+") {
        Value l = value_of(child_by_field(node, "left"), src, depth + 1);
        Value r = value_of(child_by_field(node, "right"), src, depth + 1);
        if (l.is_string_like() || r.is_string_like()) return concat_strings(std::move(l), std::move(r), v.range);
      }
    }
    if (type == "boolean_operator" && src.text_of(child_by_field(node, "operator")) == "or")
      return with_default(value_of(child_by_field(node, "left"), src, depth + 1),
                          value_of(child_by_field(node, "right"), src, depth + 1));
    if (type == "conditional_expression" && ts_node_named_child_count(node)) {
      // `a if c else b`: the value is `a`, and `b` rides along as the alternative.
      Value first = value_of(ts_node_named_child(node, 0), src, depth + 1);
      if (ts_node_named_child_count(node) >= 3)
        return with_alternative(std::move(first), value_of(ts_node_named_child(node, 2), src, depth + 1));
      return first;
    }
    // Keep a short snippet: checks read expressions like `2 ** attempt` from it.
    v.kind = Value::Kind::Other;
    v.text = std::string(src.text_of(node).substr(0, 120));
    return v;
  }

  std::vector<Argument> arguments_of(TSNode args, const SourceText& src, int depth) const override {
    std::vector<Argument> out;
    if (ts_node_is_null(args)) return out;
    for (uint32_t i = 0; i < std::min(ts_node_named_child_count(args), kMaxValueElements); ++i) {
      TSNode a = ts_node_named_child(args, i);
      auto type = node_type(a);
      if (type == "comment") continue;
      if (type == "keyword_argument") {
        out.push_back({std::string(src.text_of(child_by_field(a, "name"))),
                       value_of(child_by_field(a, "value"), src, depth)});
      } else if (type == "list_splat") {
        out.push_back({"*", value_of(ts_node_named_child(a, 0), src, depth)});
      } else if (type == "dictionary_splat") {
        out.push_back({"**", value_of(ts_node_named_child(a, 0), src, depth)});
      } else {
        out.push_back({"", value_of(a, src, depth)});
      }
    }
    return out;
  }

  void imports_of(TSNode stmt, const SourceText& src, std::vector<Import>& out) const override {
    auto type = node_type(stmt);
    SourceRange range = src.range_of(stmt);
    if (type == "import_statement") {
      for (uint32_t i = 0; i < ts_node_named_child_count(stmt); ++i) {
        TSNode n = ts_node_named_child(stmt, i);
        if (node_type(n) == "dotted_name") {
          std::string m(src.text_of(n));
          out.push_back({m, m, "", range});
        } else if (node_type(n) == "aliased_import") {
          out.push_back({std::string(src.text_of(child_by_field(n, "alias"))),
                         std::string(src.text_of(child_by_field(n, "name"))), "", range});
        }
      }
      return;
    }
    // from M import a, b as c
    TSNode module = child_by_field(stmt, "module_name");
    std::string m(src.text_of(module));
    for (uint32_t i = 0; i < ts_node_named_child_count(stmt); ++i) {
      TSNode n = ts_node_named_child(stmt, i);
      if (ts_node_eq(n, module)) continue;
      if (node_type(n) == "dotted_name") {
        std::string s(src.text_of(n));
        out.push_back({s, m, s, range});
      } else if (node_type(n) == "aliased_import") {
        out.push_back({std::string(src.text_of(child_by_field(n, "alias"))), m,
                       std::string(src.text_of(child_by_field(n, "name"))), range});
      } else if (node_type(n) == "wildcard_import") {
        out.push_back({"*", m, "*", range});
      }
    }
  }

  void bindings_of(TSNode target, TSNode value, const SourceText& src, Binding base,
                   std::vector<Binding>& bindings, std::vector<Import>&) const override {
    auto ttype = node_type(target);
    if (ttype == "pattern_list" || ttype == "tuple_pattern" || ttype == "list_pattern") {
      // a, b = f(): each name is bound to "part of" the value; keep the value for data flow.
      for (uint32_t i = 0; i < ts_node_named_child_count(target); ++i) {
        TSNode t = ts_node_named_child(target, i);
        std::string p = path_of(t, src, 0);
        if (p.empty()) continue;
        Binding b = base;
        b.target = p;
        b.value = value_of(value, src, 0);
        b.value.kind = Value::Kind::Other;  // an element, not the whole value
        bindings.push_back(std::move(b));
      }
      return;
    }
    std::string p = path_of(target, src, 0);
    if (p.empty()) return;
    // os.environ["KEY"] = ...: keep the key, settings are read by it (the path alone says "[]").
    if (ttype == "subscript") {
      Value key = value_of(child_by_field(target, "subscript"), src, kMaxValueDepth);
      if (key.kind == Value::Kind::String) p = p.substr(0, p.size() - 2) + "[" + key.text + "]";
    }
    base.target = std::move(p);
    base.value = value_of(value, src, 0);
    bindings.push_back(std::move(base));
  }

  std::string function_name(TSNode fn, const SourceText& src) const override {
    return std::string(src.text_of(child_by_field(fn, "name")));
  }

  std::vector<Value> decorators_of(TSNode fn, const SourceText& src) const override {
    std::vector<Value> out;
    TSNode parent = ts_node_parent(fn);
    if (node_type(parent) != "decorated_definition") return out;
    for (uint32_t i = 0; i < ts_node_named_child_count(parent); ++i) {
      TSNode d = ts_node_named_child(parent, i);
      if (node_type(d) == "decorator" && ts_node_named_child_count(d))
        out.push_back(value_of(ts_node_named_child(d, 0), src, 0));
    }
    return out;
  }

  void parameters_of(TSNode fn, const SourceText& src, Function& f, std::vector<Binding>& typed) const override {
    TSNode params = child_by_field(fn, "parameters");
    for (uint32_t i = 0; i < ts_node_named_child_count(params); ++i) {
      TSNode p = ts_node_named_child(params, i);
      auto type = node_type(p);
      TSNode name_node = p;
      TSNode type_node{};
      if (type == "typed_parameter" || type == "typed_default_parameter") {
        name_node = type == "typed_parameter" ? ts_node_named_child(p, 0) : child_by_field(p, "name");
        type_node = child_by_field(p, "type");
      } else if (type == "default_parameter") {
        name_node = child_by_field(p, "name");
      }
      if (node_type(name_node) != "identifier") continue;
      std::string name(src.text_of(name_node));
      f.params.push_back(name);
      if (!ts_node_is_null(type_node) && ts_node_named_child_count(type_node)) {
        TSNode annotation = ts_node_named_child(type_node, 0);
        std::string tpath = path_of(annotation, src, 0);
        // A forward reference, client: "OpenAI", names the same type.
        if (tpath.empty() && node_type(annotation) == "string") tpath = string_value(annotation, src, 0).text;
        if (!tpath.empty()) typed.push_back(typed_parameter(name, tpath, src.range_of(type_node), src.range_of(p)));
      }
    }
  }

  std::optional<TSNode> expression_body(TSNode) const override { return std::nullopt; }

  void handlers_of(TSNode try_node, const SourceText& src, HandlerRegion& region) const override {
    for (uint32_t i = 0; i < ts_node_named_child_count(try_node); ++i) {
      TSNode c = ts_node_named_child(try_node, i);
      auto type = node_type(c);
      if (type == "except_clause" || type == "except_group_clause") region.handlers.push_back(src.range_of(c));
      if (type == "finally_clause") region.finalizer = src.range_of(c);
    }
  }

  std::string_view self_name() const override { return "self"; }

 private:
  Value string_value(TSNode node, const SourceText& src, int depth) const {
    Value v;
    v.range = src.range_of(node);
    v.kind = Value::Kind::String;
    for (uint32_t i = 0; i < ts_node_named_child_count(node); ++i) {
      TSNode c = ts_node_named_child(node, i);
      auto type = node_type(c);
      if (type == "string_content") {
        v.text += src.text_of(c);
      } else if (type == "interpolation") {
        v.kind = Value::Kind::Template;
        v.text += "{}";
        TSNode expr = child_by_field(c, "expression");
        v.args.push_back({"", value_of(expr, src, depth + 1)});
      } else if (type == "escape_sequence") {
        v.text += src.text_of(c);
      }
    }
    return v;
  }
};

}  // namespace

std::unique_ptr<SyntaxAdapter> make_python_adapter() { return std::make_unique<PythonAdapter>(); }

}  // namespace gapmap::lang
