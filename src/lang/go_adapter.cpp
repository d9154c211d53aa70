// Go (tree-sitter-go): how Go spells paths, values, imports, receivers and
// error handling.
#include <algorithm>
#include <string>

#include "lang/adapter.h"

namespace gapmap::lang {
namespace {

// The name a package is referred to by when imported without an alias. Go takes
// it from the package clause, which the importer cannot see; SDK paths follow
// the conventions below
// ("github.com/sashabaranov/go-openai" is package openai,
// ".../anthropic-sdk-go" is anthropic).
std::string default_package_name(std::string_view path) {
  auto last = [](std::string_view p) {
    auto slash = p.rfind('/');
    return slash == std::string_view::npos ? p : p.substr(slash + 1);
  };
  std::string_view seg = last(path);
  // ".../v2": the major-version suffix is not the name.
  if (seg.size() >= 2 && seg[0] == 'v' && std::all_of(seg.begin() + 1, seg.end(), ::isdigit) &&
      path.size() > seg.size())
    seg = last(path.substr(0, path.size() - seg.size() - 1));
  if (seg.starts_with("go-")) seg.remove_prefix(3);
  if (seg.ends_with("-go")) seg.remove_suffix(3);
  if (seg.ends_with(".go")) seg.remove_suffix(3);
  if (auto dash = seg.find('-'); dash != std::string_view::npos) seg = seg.substr(0, dash);
  std::string out(seg);
  std::replace(out.begin(), out.end(), '.', '_');
  return out;
}

// Import paths name SDKs without their major version:
// github.com/openai/openai-go/v2 is the same SDK to the rule packs as
// github.com/openai/openai-go.
std::string module_key(std::string_view path) {
  auto slash = path.rfind('/');
  if (slash != std::string_view::npos && slash + 2 <= path.size() && path[slash + 1] == 'v' &&
      slash + 2 < path.size() && std::all_of(path.begin() + static_cast<long>(slash) + 2, path.end(), ::isdigit))
    path = path.substr(0, slash);
  return std::string(path);
}

bool is_conversion_type(std::string_view name) {
  return name == "string" || name == "byte" || name == "rune" || name == "int" || name == "int64" ||
         name == "float64" || name == "bool";
}

bool is_type_node(std::string_view type) {
  return type == "type_identifier" || type == "qualified_type" || type == "pointer_type" || type == "generic_type" ||
         type == "interface_type" || type == "struct_type" || type == "map_type" || type == "slice_type" ||
         type == "array_type" || type == "function_type" || type == "channel_type";
}

class GoAdapter final : public SyntaxAdapter {
 public:
  std::string path_of(TSNode node, const SourceText& src, int depth) const override {
    if (ts_node_is_null(node) || depth > kMaxPathDepth) return {};
    auto type = node_type(node);
    if (type == "identifier" || type == "field_identifier" || type == "package_identifier" || type == "type_identifier")
      return std::string(src.text_of(node));
    if (type == "selector_expression") {
      auto obj = path_of(child_by_field(node, "operand"), src, depth + 1);
      if (obj.empty()) return {};
      return obj + "." + std::string(src.text_of(child_by_field(node, "field")));
    }
    if (type == "call_expression") {
      auto fn = path_of(child_by_field(node, "function"), src, depth + 1);
      return fn.empty() ? std::string{} : fn + "()";
    }
    if (type == "index_expression") {
      auto v = path_of(child_by_field(node, "operand"), src, depth + 1);
      return v.empty() ? std::string{} : v + "[]";
    }
    if (type == "qualified_type")
      return std::string(src.text_of(child_by_field(node, "package"))) + "." +
             std::string(src.text_of(child_by_field(node, "name")));
    if (type == "pointer_type" || type == "parenthesized_expression" || type == "generic_type" ||
        type == "type_assertion_expression") {
      TSNode inner = type == "generic_type"                ? child_by_field(node, "type")
                     : type == "type_assertion_expression" ? child_by_field(node, "operand")
                                                           : ts_node_named_child(node, 0);
      return path_of(inner, src, depth + 1);
    }
    if (type == "unary_expression" && src.text_of(child_by_field(node, "operator")) == "*")
      return path_of(child_by_field(node, "operand"), src, depth + 1);
    return {};
  }

  Value value_of(TSNode node, const SourceText& src, int depth) const override {
    Value v;
    if (!begin_value(node, src, depth, v)) return v;
    auto type = node_type(node);
    if (type == "expression_list" || type == "literal_element" || type == "parenthesized_expression") {
      // `return resp, nil`: the first value is the result; an error rides in
      // the last.
      if (ts_node_named_child_count(node)) return value_of(ts_node_named_child(node, 0), src, depth + 1);
      return v;
    }
    if (type == "interpreted_string_literal" || type == "raw_string_literal") {
      v.kind = Value::Kind::String;
      for (uint32_t i = 0; i < ts_node_named_child_count(node); ++i)
        v.text += src.text_of(ts_node_named_child(node, i));
      return v;
    }
    if (type == "int_literal" || type == "float_literal" || type == "imaginary_literal") {
      v.kind = Value::Kind::Number;
      v.text = src.text_of(node);
      return v;
    }
    if (type == "true" || type == "false") {
      v.kind = Value::Kind::Bool;
      v.text = std::string(type);
      return v;
    }
    if (type == "nil") {
      v.kind = Value::Kind::Null;
      return v;
    }
    if (type == "identifier" || type == "selector_expression" || type == "index_expression") {
      v.text = path_of(node, src, 0);
      v.kind = v.text.empty() ? Value::Kind::Other : Value::Kind::Name;
      return v;
    }
    if (is_type_node(type)) {
      // `var c *openai.Client`, struct fields: a declared type, read like a
      // Python annotation.
      v.text = path_of(node, src, 0);
      v.kind = v.text.empty() ? Value::Kind::Other : Value::Kind::TypeRef;
      return v;
    }
    if (type == "type_conversion_expression") return value_of(child_by_field(node, "operand"), src, depth + 1);
    if (type == "call_expression") {
      TSNode fn = child_by_field(node, "function");
      // []byte(content), string(b): a conversion is the value converted.
      auto ft = node_type(fn);
      if ((ft == "slice_type" || ft == "array_type" || ft == "parenthesized_type" ||
           (ft == "identifier" && is_conversion_type(src.text_of(fn)))) &&
          ts_node_named_child_count(child_by_field(node, "arguments")) == 1)
        return value_of(ts_node_named_child(child_by_field(node, "arguments"), 0), src, depth + 1);
      v.kind = Value::Kind::Call;
      v.text = path_of(fn, src, 0);
      v.args = arguments_of(child_by_field(node, "arguments"), src, depth + 1);
      if (auto s = string_builder(v)) {
        s->range = v.range;
        return *s;
      }
      return v;
    }
    if (type == "unary_expression") {
      auto op = src.text_of(child_by_field(node, "operator"));
      if (op == "&" || op == "*") return value_of(child_by_field(node, "operand"), src, depth + 1);
    }
    if (type == "composite_literal") {
      // Request{Model: "gpt-4o", Stream: true}: an object whose keys are the
      // field names. The type rides along as the value's text so a struct built
      // of a client type still resolves.
      v.kind = Value::Kind::Object;
      v.text = path_of(child_by_field(node, "type"), src, 0);
      TSNode body = child_by_field(node, "body");
      uint32_t n = std::min(ts_node_named_child_count(body), kMaxValueElements);
      for (uint32_t i = 0; i < n; ++i) {
        TSNode e = ts_node_named_child(body, i);
        if (node_type(e) == "keyed_element") {
          TSNode key = child_by_field(e, "key");
          std::string k(src.text_of(key));
          Value kv = value_of(key, src, depth + 1);
          if (kv.kind == Value::Kind::String) k = kv.text;
          v.args.push_back({k, value_of(child_by_field(e, "value"), src, depth + 1)});
        } else if (node_type(e) == "literal_element") {
          v.args.push_back({"", value_of(e, src, depth + 1)});
        }
      }
      return v;
    }
    if (type == "literal_value") {
      v.kind = Value::Kind::List;
      for (uint32_t i = 0; i < std::min(ts_node_named_child_count(node), kMaxValueElements); ++i)
        v.args.push_back({"", value_of(ts_node_named_child(node, i), src, depth + 1)});
      return v;
    }
    if (type == "func_literal") {
      v.kind = Value::Kind::Lambda;
      // func() error { return client.Do(...) }: name the call its single
      // statement makes.
      TSNode body = child_by_field(node, "body");
      if (ts_node_named_child_count(body)) {
        TSNode list = ts_node_named_child(body, 0);
        if (ts_node_named_child_count(list) == 1) {
          TSNode stmt = ts_node_named_child(list, 0);
          if (node_type(stmt) == "return_statement" && ts_node_named_child_count(stmt)) {
            Value r = value_of(ts_node_named_child(stmt, 0), src, depth + 1);
            if (r.kind == Value::Kind::Call) v.text = r.text;
          } else if (node_type(stmt) == "expression_statement" && ts_node_named_child_count(stmt)) {
            TSNode e = ts_node_named_child(stmt, 0);
            if (node_type(e) == "call_expression") v.text = path_of(child_by_field(e, "function"), src, 0);
          }
        }
      }
      return v;
    }
    if (auto joined = string_concatenation(*this, node, src, depth)) return *joined;
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
      if (type == "variadic_argument") {
        out.push_back({"...", value_of(ts_node_named_child(a, 0), src, depth)});
        continue;
      }
      Value v = value_of(a, src, depth);
      // Functional options, option.WithBaseURL("https://..."), name the setting
      // they carry: kept as a keyword argument so rule packs can say
      // base_url_params: ["WithBaseURL"].
      if (v.kind == Value::Kind::Call) {
        auto dot = v.text.rfind('.');
        std::string_view last =
            dot == std::string::npos ? std::string_view(v.text) : std::string_view(v.text).substr(dot + 1);
        if (last.starts_with("With") && last.size() > 4 && v.args.size() == 1) {
          out.push_back({std::string(last), v.args[0].value});
          continue;
        }
      }
      out.push_back({"", std::move(v)});
    }
    return out;
  }

  void imports_of(TSNode stmt, const SourceText& src, std::vector<Import>& out) const override {
    std::vector<TSNode> specs;
    for (uint32_t i = 0; i < ts_node_named_child_count(stmt); ++i) {
      TSNode c = ts_node_named_child(stmt, i);
      if (node_type(c) == "import_spec") specs.push_back(c);
      if (node_type(c) == "import_spec_list")
        for (uint32_t j = 0; j < ts_node_named_child_count(c); ++j)
          if (node_type(ts_node_named_child(c, j)) == "import_spec") specs.push_back(ts_node_named_child(c, j));
    }
    for (TSNode spec : specs) {
      Value path = value_of(child_by_field(spec, "path"), src, 0);
      if (path.kind != Value::Kind::String || path.text.empty()) continue;
      TSNode name = child_by_field(spec, "name");
      std::string local = ts_node_is_null(name) ? default_package_name(path.text) : std::string(src.text_of(name));
      if (local == "_") continue;
      // `import . "pkg"` puts the package's names in file scope, like `from m
      // import *`.
      if (local == ".")
        out.push_back({"*", module_key(path.text), "*", src.range_of(spec)});
      else
        out.push_back({local, module_key(path.text), "", src.range_of(spec)});
    }
  }

  void bindings_of(TSNode target, TSNode value, const SourceText& src, Binding base, std::vector<Binding>& bindings,
                   std::vector<Import>&) const override {
    auto ttype = node_type(target);
    if (ts_node_eq(target, value)) {
      // An embedded field: its methods are the struct's own (see kEmbeddedAttribute).
      base.target = std::string(kEmbeddedAttribute);
      base.value = value_of(value, src, 0);
      bindings.push_back(std::move(base));
      return;
    }
    if (ttype == "type_identifier" && node_type(value) == "literal_value") {
      // Service{client: c}: each keyed field is an attribute of Service.
      std::string cls(src.text_of(target));
      for (uint32_t i = 0; i < std::min(ts_node_named_child_count(value), kMaxValueElements); ++i) {
        TSNode e = ts_node_named_child(value, i);
        if (node_type(e) != "keyed_element") continue;
        TSNode key = child_by_field(e, "key");
        if (ts_node_named_child_count(key) != 1 || node_type(ts_node_named_child(key, 0)) != "identifier") continue;
        Binding b = base;
        b.target = std::string(self_name()) + "." + std::string(src.text_of(key));
        b.class_name = cls;
        b.value = value_of(child_by_field(e, "value"), src, 0);
        b.range = src.range_of(e);
        bindings.push_back(std::move(b));
      }
      return;
    }
    std::vector<TSNode> targets, values;
    auto list = [](TSNode n, std::vector<TSNode>& out) {
      if (node_type(n) == "expression_list") {
        for (uint32_t i = 0; i < ts_node_named_child_count(n); ++i) out.push_back(ts_node_named_child(n, i));
      } else if (!ts_node_is_null(n)) {
        out.push_back(n);
      }
    };
    list(target, targets);
    list(value, values);
    if (base.loop || node_type(ts_node_parent(target)) == "range_clause") {
      // for _, m := range models: the element is the last name.
      if (targets.empty() || values.empty()) return;
      std::string p = path_of(targets.back(), src, 0);
      if (p.empty() || p == "_") return;
      base.target = std::move(p);
      base.value = value_of(values[0], src, 0);
      bindings.push_back(std::move(base));
      return;
    }
    // `var a, b = x, y` pairs names with values; `resp, err := call()` binds
    // the call's result to the first name only (the rest are errors or flags,
    // not the response).
    for (size_t i = 0; i < targets.size(); ++i) {
      if (values.size() != targets.size() && i > 0) break;
      std::string p = path_of(targets[i], src, 0);
      if (p.empty() || p == "_") continue;
      Binding b = base;
      b.target = std::move(p);
      b.value = value_of(values.size() == targets.size() ? values[i] : values.empty() ? TSNode{} : values[0], src, 0);
      bindings.push_back(std::move(b));
    }
  }

  std::string function_name(TSNode fn, const SourceText& src) const override {
    TSNode name = child_by_field(fn, "name");
    if (!ts_node_is_null(name)) return std::string(src.text_of(name));
    // A func literal takes the name it is assigned to, like a JavaScript arrow
    // function.
    TSNode parent = ts_node_parent(fn);
    if (node_type(parent) == "expression_list") {
      TSNode decl = ts_node_parent(parent);
      auto dt = node_type(decl);
      if (dt == "short_var_declaration" || dt == "assignment_statement" || dt == "var_spec") {
        TSNode left = child_by_field(decl, dt == "var_spec" ? "name" : "left");
        std::string p = path_of(node_type(left) == "expression_list" && ts_node_named_child_count(left)
                                    ? ts_node_named_child(left, 0)
                                    : left,
                                src, 0);
        auto dot = p.rfind('.');
        if (!p.empty()) return dot == std::string::npos ? p : p.substr(dot + 1);
      }
    }
    return "<lambda>";
  }

  std::vector<Value> decorators_of(TSNode, const SourceText&) const override { return {}; }

  void parameters_of(TSNode fn, const SourceText& src, Function& f, std::vector<Binding>& typed) const override {
    TSNode params = child_by_field(fn, "parameters");
    for (uint32_t i = 0; i < ts_node_named_child_count(params); ++i) {
      TSNode p = ts_node_named_child(params, i);
      if (node_type(p) != "parameter_declaration" && node_type(p) != "variadic_parameter_declaration") continue;
      TSNode type_node = child_by_field(p, "type");
      std::string tpath = path_of(type_node, src, 0);
      // `func f(a, b string)`: several names share one type.
      for (uint32_t j = 0; j < ts_node_named_child_count(p); ++j) {
        TSNode n = ts_node_named_child(p, j);
        if (node_type(n) != "identifier") continue;
        std::string name(src.text_of(n));
        f.params.push_back(name);
        if (!tpath.empty()) typed.push_back(typed_parameter(name, tpath, src.range_of(type_node), src.range_of(p)));
      }
    }
  }

  std::optional<TSNode> expression_body(TSNode) const override { return std::nullopt; }

  void handlers_of(TSNode if_node, const SourceText& src, HandlerRegion& region) const override {
    // The error branch only: an `else` is the success path.
    TSNode consequence = child_by_field(if_node, "consequence");
    if (!ts_node_is_null(consequence)) region.handlers.push_back(src.range_of(consequence));
  }

  std::string_view self_name() const override { return "self"; }

  // Standard-library calls that build a string from their arguments, so URLs
  // made with them still resolve: fmt.Sprintf("%s/chat/completions", base),
  // strings.TrimSuffix(base, "/"), url.JoinPath(base, "v1", "messages").
  static std::optional<Value> string_builder(const Value& call) {
    const auto& t = call.text;
    if (t == "fmt.Sprintf" && !call.args.empty() && call.args[0].value.kind == Value::Kind::String) {
      Value out;
      out.kind = Value::Kind::Template;
      const std::string& format = call.args[0].value.text;
      size_t next = 1;
      for (size_t i = 0; i < format.size(); ++i) {
        if (format[i] != '%' || i + 1 >= format.size()) {
          out.text += format[i];
          continue;
        }
        if (format[i + 1] == '%') {
          out.text += '%';
          ++i;
          continue;
        }
        size_t verb = format.find_first_of("vsdqxXfgtTpeEcbo", i + 1);
        if (verb == std::string::npos) break;
        out.text += "{}";
        out.args.push_back({"", next < call.args.size() ? call.args[next].value : Value{}});
        ++next;
        i = verb;
      }
      return out;
    }
    if ((t == "strings.TrimSuffix" || t == "strings.TrimRight" || t == "strings.TrimSpace" ||
         t == "strings.TrimPrefix" || t == "strings.TrimLeft" || t == "strings.Trim") &&
        !call.args.empty())
      return call.args[0].value;
    if ((t == "url.JoinPath" || t == "path.Join") && call.args.size() >= 2) {
      Value out = call.args[0].value;
      for (size_t i = 1; i < call.args.size(); ++i) {
        Value slash;
        slash.kind = Value::Kind::String;
        slash.text = "/";
        out = concat_strings(concat_strings(std::move(out), std::move(slash), call.range), call.args[i].value,
                             call.range);
      }
      return out;
    }
    return std::nullopt;
  }

  std::optional<Receiver> receiver_of(TSNode fn, const SourceText& src) const override {
    if (node_type(fn) != "method_declaration") return std::nullopt;
    TSNode list = child_by_field(fn, "receiver");
    for (uint32_t i = 0; i < ts_node_named_child_count(list); ++i) {
      TSNode p = ts_node_named_child(list, i);
      if (node_type(p) != "parameter_declaration") continue;
      Receiver r;
      TSNode name = child_by_field(p, "name");
      if (!ts_node_is_null(name)) r.name = src.text_of(name);
      r.type = path_of(child_by_field(p, "type"), src, 0);
      return r;
    }
    return std::nullopt;
  }
};

}  // namespace

std::unique_ptr<SyntaxAdapter> make_go_adapter() { return std::make_unique<GoAdapter>(); }

}  // namespace gapmap::lang
