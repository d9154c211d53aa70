// JavaScript, TypeScript and TSX: the three grammars share node names for everything gapmap reads.
#include <algorithm>
#include <string>

#include "lang/adapter.h"

namespace gapmap::lang {
namespace {

bool is_wrapper(std::string_view type) {
  // Expressions that only annotate or wrap the value they hold.
  return type == "parenthesized_expression" || type == "await_expression" || type == "non_null_expression" ||
         type == "as_expression" || type == "satisfies_expression" || type == "type_assertion";
}

class EcmaAdapter final : public SyntaxAdapter {
 public:
  std::string path_of(TSNode node, const SourceText& src, int depth) const override {
    if (ts_node_is_null(node) || depth > kMaxPathDepth) return {};
    auto type = node_type(node);
    if (type == "identifier" || type == "this" || type == "super" || type == "property_identifier" ||
        type == "shorthand_property_identifier")
      return std::string(src.text_of(node));
    if (type == "member_expression") {
      auto obj = path_of(child_by_field(node, "object"), src, depth + 1);
      if (obj.empty()) return {};
      std::string prop(src.text_of(child_by_field(node, "property")));
      if (!prop.empty() && prop[0] == '#') prop.erase(0, 1);  // this.#client
      return obj + "." + prop;
    }
    if (type == "call_expression") {
      auto fn = path_of(child_by_field(node, "function"), src, depth + 1);
      return fn.empty() ? std::string{} : fn + "()";
    }
    if (type == "new_expression") {
      auto fn = path_of(child_by_field(node, "constructor"), src, depth + 1);
      return fn.empty() ? std::string{} : fn + "()";
    }
    if (type == "subscript_expression") {
      auto v = path_of(child_by_field(node, "object"), src, depth + 1);
      return v.empty() ? std::string{} : v + "[]";
    }
    if (is_wrapper(type) && ts_node_named_child_count(node))
      return path_of(ts_node_named_child(node, 0), src, depth + 1);
    return {};
  }

  Value value_of(TSNode node, const SourceText& src, int depth) const override {
    Value v;
    if (!begin_value(node, src, depth, v)) return v;
    auto type = node_type(node);
    if (type == "string" || type == "template_string") return string_value(node, src, depth);
    if (type == "number") {
      v.kind = Value::Kind::Number;
      v.text = src.text_of(node);
      return v;
    }
    if (type == "true" || type == "false") {
      v.kind = Value::Kind::Bool;
      v.text = std::string(type);
      return v;
    }
    if (type == "null" || type == "undefined") {
      v.kind = Value::Kind::Null;
      return v;
    }
    if (type == "identifier" || type == "member_expression" || type == "this" || type == "subscript_expression") {
      v.text = path_of(node, src, 0);
      v.kind = v.text.empty() ? Value::Kind::Other : Value::Kind::Name;
      return v;
    }
    if (type == "call_expression") {
      v.kind = Value::Kind::Call;
      v.text = path_of(child_by_field(node, "function"), src, 0);
      v.args = arguments_of(child_by_field(node, "arguments"), src, depth + 1);
      return v;
    }
    if (type == "new_expression") {
      v.kind = Value::Kind::New;
      v.text = path_of(child_by_field(node, "constructor"), src, 0);
      v.args = arguments_of(child_by_field(node, "arguments"), src, depth + 1);
      return v;
    }
    if (is_wrapper(type) && ts_node_named_child_count(node)) return value_of(ts_node_named_child(node, 0), src, depth + 1);
    if (type == "object") {
      v.kind = Value::Kind::Object;
      for (uint32_t i = 0; i < std::min(ts_node_named_child_count(node), kMaxValueElements); ++i) {
        TSNode c = ts_node_named_child(node, i);
        auto ct = node_type(c);
        if (ct == "pair") {
          TSNode key = child_by_field(c, "key");
          std::string k(src.text_of(key));
          if (node_type(key) == "string") k = string_value(key, src, depth).text;
          v.args.push_back({k, value_of(child_by_field(c, "value"), src, depth + 1)});
        } else if (ct == "shorthand_property_identifier") {
          Value n;
          n.kind = Value::Kind::Name;
          n.text = src.text_of(c);
          n.range = src.range_of(c);
          v.args.push_back({n.text, n});
        } else if (ct == "spread_element") {
          v.args.push_back({"...", value_of(ts_node_named_child(c, 0), src, depth + 1)});
        } else if (ct == "method_definition") {
          Value m;
          m.kind = Value::Kind::Lambda;
          m.range = src.range_of(c);
          v.args.push_back({std::string(src.text_of(child_by_field(c, "name"))), m});
        }
      }
      return v;
    }
    if (type == "array") {
      v.kind = Value::Kind::List;
      for (uint32_t i = 0; i < std::min(ts_node_named_child_count(node), kMaxValueElements); ++i)
        v.args.push_back({"", value_of(ts_node_named_child(node, i), src, depth + 1)});
      return v;
    }
    if (type == "arrow_function" || type == "function_expression" || type == "function") {
      v.kind = Value::Kind::Lambda;
      TSNode body = child_by_field(node, "body");
      for (int hops = 0; hops < kMaxPathDepth && is_wrapper(node_type(body)) && ts_node_named_child_count(body); ++hops)
        body = ts_node_named_child(body, 0);
      if (node_type(body) == "call_expression") v.text = path_of(child_by_field(body, "function"), src, 0);
      return v;
    }
    if (auto joined = string_concatenation(*this, node, src, depth)) return *joined;
    if (type == "binary_expression" &&
        (src.text_of(child_by_field(node, "operator")) == "??" || src.text_of(child_by_field(node, "operator")) == "||")) {
      return with_default(value_of(child_by_field(node, "left"), src, depth + 1),
                          value_of(child_by_field(node, "right"), src, depth + 1));
    }
    if (type == "ternary_expression")  // `c ? a : b`: the value is `a`, and `b` rides along
      return with_alternative(value_of(child_by_field(node, "consequence"), src, depth + 1),
                              value_of(child_by_field(node, "alternative"), src, depth + 1));
    // Keep a short snippet: checks read expressions like `2 ** attempt` from it.
    v.kind = Value::Kind::Other;
    v.text = std::string(src.text_of(node).substr(0, 120));
    return v;
  }

  std::vector<Argument> arguments_of(TSNode args, const SourceText& src, int depth) const override {
    std::vector<Argument> out;
    if (ts_node_is_null(args)) return out;
    if (node_type(args) == "template_string") {  // tagged template: fn`...`
      out.push_back({"", value_of(args, src, depth)});
      return out;
    }
    for (uint32_t i = 0; i < std::min(ts_node_named_child_count(args), kMaxValueElements); ++i) {
      TSNode a = ts_node_named_child(args, i);
      auto type = node_type(a);
      if (type == "comment") continue;
      if (type == "spread_element")
        out.push_back({"...", value_of(ts_node_named_child(a, 0), src, depth)});
      else
        out.push_back({"", value_of(a, src, depth)});
    }
    return out;
  }

  void imports_of(TSNode stmt, const SourceText& src, std::vector<Import>& out) const override {
    TSNode source = child_by_field(stmt, "source");
    if (ts_node_is_null(source)) return;
    std::string module = string_value(source, src, 0).text;
    SourceRange range = src.range_of(stmt);
    // `import type {..}` / `import { type X }`: the names are types; nothing of the module runs.
    auto has_type_keyword = [](TSNode n) {
      for (uint32_t i = 0; i < ts_node_child_count(n); ++i)
        if (!ts_node_is_named(ts_node_child(n, i)) && node_type(ts_node_child(n, i)) == "type") return true;
      return false;
    };
    bool type_statement = has_type_keyword(stmt);
    size_t first = out.size();
    for (uint32_t i = 0; i < ts_node_named_child_count(stmt); ++i) {
      TSNode clause = ts_node_named_child(stmt, i);
      if (node_type(clause) != "import_clause") continue;
      for (uint32_t j = 0; j < ts_node_named_child_count(clause); ++j) {
        TSNode c = ts_node_named_child(clause, j);
        auto type = node_type(c);
        if (type == "identifier") {
          out.push_back({std::string(src.text_of(c)), module, "default", range});
        } else if (type == "namespace_import") {
          if (ts_node_named_child_count(c))
            out.push_back({std::string(src.text_of(ts_node_named_child(c, 0))), module, "", range});
        } else if (type == "named_imports") {
          for (uint32_t k = 0; k < ts_node_named_child_count(c); ++k) {
            TSNode spec = ts_node_named_child(c, k);
            if (node_type(spec) != "import_specifier") continue;
            std::string name(src.text_of(child_by_field(spec, "name")));
            TSNode alias = child_by_field(spec, "alias");
            out.push_back({ts_node_is_null(alias) ? name : std::string(src.text_of(alias)), module, name, range,
                           has_type_keyword(spec)});
          }
        }
      }
    }
    if (type_statement)
      for (size_t i = first; i < out.size(); ++i) out[i].type_only = true;
  }

  void bindings_of(TSNode target, TSNode value, const SourceText& src, Binding base,
                   std::vector<Binding>& bindings, std::vector<Import>& imports) const override {
    Value val = value_of(value, src, 0);
    // require("m") and await import("m") bind modules, as an import statement would.
    std::optional<std::string> required;
    if (val.kind == Value::Kind::Call && (val.text == "require" || val.text == "import") && !val.args.empty() &&
        val.args[0].value.kind == Value::Kind::String)
      required = val.args[0].value.text;
    auto ttype = node_type(target);
    if (ttype == "object_pattern") {
      for (uint32_t i = 0; i < ts_node_named_child_count(target); ++i) {
        TSNode p = ts_node_named_child(target, i);
        std::string key, local;
        if (node_type(p) == "shorthand_property_identifier_pattern") {
          key = local = src.text_of(p);
        } else if (node_type(p) == "pair_pattern") {
          key = src.text_of(child_by_field(p, "key"));
          TSNode v = child_by_field(p, "value");
          if (node_type(v) == "assignment_pattern") v = child_by_field(v, "left");
          local = src.text_of(v);
        } else if (node_type(p) == "object_assignment_pattern") {
          key = local = src.text_of(child_by_field(p, "left"));
        } else {
          continue;
        }
        if (required) {
          imports.push_back({local, *required, key, base.range});
          continue;
        }
        // const { text } = await generateText(...): `text` is a member of the value; from a path
        // (const { message } = response.data) it is that path's member.
        Binding b = base;
        b.target = local;
        b.value = val;
        if (val.kind == Value::Kind::Name) {
          b.value.text = val.text + "." + key;
          b.value.args.clear();
        } else {
          b.value.kind = Value::Kind::Other;
          b.value.text = key;
        }
        bindings.push_back(std::move(b));
      }
      return;
    }
    std::string p = path_of(target, src, 0);
    if (p.empty()) return;
    if (required) {
      imports.push_back({p, *required, "", base.range});
      return;
    }
    base.target = std::move(p);
    base.value = std::move(val);
    bindings.push_back(std::move(base));
  }

  std::string function_name(TSNode fn, const SourceText& src) const override {
    TSNode name = child_by_field(fn, "name");
    if (!ts_node_is_null(name)) return std::string(src.text_of(name));
    TSNode parent = ts_node_parent(fn);
    for (int hops = 0; hops < kMaxPathDepth && is_wrapper(node_type(parent)); ++hops) parent = ts_node_parent(parent);
    auto ptype = node_type(parent);
    if (ptype == "variable_declarator") return std::string(src.text_of(child_by_field(parent, "name")));
    if (ptype == "pair") return std::string(src.text_of(child_by_field(parent, "key")));
    if (ptype == "assignment_expression") {
      auto p = path_of(child_by_field(parent, "left"), src, 0);
      auto dot = p.rfind('.');
      return dot == std::string::npos ? p : p.substr(dot + 1);
    }
    if (ptype == "public_field_definition") return std::string(src.text_of(child_by_field(parent, "name")));
    if (ptype == "field_definition") return std::string(src.text_of(child_by_field(parent, "property")));
    return "<lambda>";
  }

  std::vector<Value> decorators_of(TSNode fn, const SourceText& src) const override {
    std::vector<Value> out;
    for (uint32_t i = 0; i < ts_node_named_child_count(fn); ++i) {
      TSNode d = ts_node_named_child(fn, i);
      if (node_type(d) == "decorator" && ts_node_named_child_count(d))
        out.push_back(value_of(ts_node_named_child(d, 0), src, 0));
    }
    return out;
  }

  void parameters_of(TSNode fn, const SourceText& src, Function& f, std::vector<Binding>& typed) const override {
    TSNode params = child_by_field(fn, "parameters");
    if (ts_node_is_null(params)) {
      TSNode single = child_by_field(fn, "parameter");
      if (!ts_node_is_null(single)) f.params.emplace_back(src.text_of(single));
      return;
    }
    for (uint32_t i = 0; i < ts_node_named_child_count(params); ++i) {
      TSNode p = ts_node_named_child(params, i);
      auto type = node_type(p);
      if (type == "identifier") {
        f.params.emplace_back(src.text_of(p));
        continue;
      }
      if (type != "required_parameter" && type != "optional_parameter") continue;
      TSNode pattern = child_by_field(p, "pattern");
      if (node_type(pattern) != "identifier") continue;
      std::string name(src.text_of(pattern));
      f.params.push_back(name);
      bool is_property = false;  // constructor(private client: OpenAI) declares this.client
      for (uint32_t j = 0; j < ts_node_named_child_count(p); ++j)
        if (node_type(ts_node_named_child(p, j)) == "accessibility_modifier" ||
            node_type(ts_node_named_child(p, j)) == "override_modifier")
          is_property = true;
      if (src.text_of(p).starts_with("readonly ")) is_property = true;
      TSNode type_node = child_by_field(p, "type");
      std::string tpath;
      if (!ts_node_is_null(type_node) && ts_node_named_child_count(type_node))
        tpath = type_path(ts_node_named_child(type_node, 0), src);
      if (tpath.empty()) continue;
      typed.push_back(typed_parameter(is_property ? "this." + name : name, tpath, src.range_of(type_node), src.range_of(p)));
    }
  }

  std::optional<TSNode> expression_body(TSNode fn) const override {
    if (node_type(fn) != "arrow_function") return std::nullopt;
    TSNode body = child_by_field(fn, "body");
    if (ts_node_is_null(body) || node_type(body) == "statement_block") return std::nullopt;
    return body;
  }

  void handlers_of(TSNode try_node, const SourceText& src, HandlerRegion& region) const override {
    TSNode handler = child_by_field(try_node, "handler");
    if (!ts_node_is_null(handler)) region.handlers.push_back(src.range_of(handler));
    TSNode finalizer = child_by_field(try_node, "finalizer");
    if (!ts_node_is_null(finalizer)) region.finalizer = src.range_of(finalizer);
  }

  std::string_view self_name() const override { return "this"; }

 private:
  std::string type_path(TSNode node, const SourceText& src) const {
    auto type = node_type(node);
    if (type == "type_identifier" || type == "identifier") return std::string(src.text_of(node));
    if (type == "nested_type_identifier" || type == "member_expression") {
      std::string s(src.text_of(node));
      return s;
    }
    if (type == "generic_type" && ts_node_named_child_count(node)) return type_path(ts_node_named_child(node, 0), src);
    return {};
  }

  Value string_value(TSNode node, const SourceText& src, int depth) const {
    Value v;
    v.range = src.range_of(node);
    v.kind = Value::Kind::String;
    for (uint32_t i = 0; i < ts_node_named_child_count(node); ++i) {
      TSNode c = ts_node_named_child(node, i);
      auto type = node_type(c);
      if (type == "string_fragment" || type == "escape_sequence") {
        v.text += src.text_of(c);
      } else if (type == "template_substitution") {
        v.kind = Value::Kind::Template;
        v.text += "{}";
        v.args.push_back({"", ts_node_named_child_count(c) ? value_of(ts_node_named_child(c, 0), src, depth + 1) : Value{}});
      }
    }
    return v;
  }
};

}  // namespace

std::unique_ptr<SyntaxAdapter> make_ecma_adapter() { return std::make_unique<EcmaAdapter>(); }

}  // namespace gapmap::lang
