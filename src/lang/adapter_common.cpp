#include "lang/adapter.h"

namespace gapmap::lang {

TSNode child_by_field(TSNode node, std::string_view field) {
  if (ts_node_is_null(node)) return node;  // a missing part of a partial tree stays missing
  return ts_node_child_by_field_name(node, field.data(), static_cast<uint32_t>(field.size()));
}

uint32_t named_count(TSNode node) { return ts_node_is_null(node) ? 0 : ts_node_named_child_count(node); }

uint32_t argument_count(TSNode args) {
  uint32_t n = 0;
  for (uint32_t i = 0; i < named_count(args); ++i)
    if (!ts_node_is_extra(ts_node_named_child(args, i))) ++n;
  return n;
}

std::string last_segment(std::string_view path) {
  auto dot = path.rfind('.');
  return std::string(dot == std::string_view::npos ? path : path.substr(dot + 1));
}

std::string_view node_type(TSNode node) {
  if (ts_node_is_null(node)) return {};
  return ts_node_type(node);
}

std::optional<std::string> literal_string(const Value& v) {
  if (v.kind == Value::Kind::String) return v.text;
  return std::nullopt;
}

bool begin_value(TSNode node, const SourceText& src, int depth, Value& v) {
  if (ts_node_is_null(node)) return false;
  v.range = src.range_of(node);
  if (depth > kMaxValueDepth) {
    v.kind = Value::Kind::Other;
    return false;
  }
  return true;
}

Value with_default(Value value, Value fallback) {
  if (value.kind == Value::Kind::None || value.kind == Value::Kind::Other) {
    if (fallback.kind != Value::Kind::None) return fallback;
    return value;
  }
  if (value.kind == Value::Kind::Name) value.args.push_back({"??", std::move(fallback)});
  return value;
}

Value with_alternative(Value value, Value alternative) {
  if (value.kind == Value::Kind::None || value.kind == Value::Kind::Other) return alternative;
  if (alternative.kind != Value::Kind::None && alternative.kind != Value::Kind::Other)
    value.args.push_back({std::string(kAlternativeArg), std::move(alternative)});
  return value;
}

Binding typed_parameter(std::string name, std::string type_path, SourceRange type_range, SourceRange param_range) {
  Binding b;
  b.target = std::move(name);
  b.value.kind = Value::Kind::TypeRef;
  b.value.text = std::move(type_path);
  b.value.range = type_range;
  b.range = param_range;
  return b;
}

Value concat_strings(Value left, Value right, SourceRange range) {
  Value v;
  v.kind = Value::Kind::Template;
  v.range = range;
  auto add = [&v](Value part) {
    if (part.is_string_like()) {
      v.text += part.text;
      for (auto& a : part.args) v.args.push_back(std::move(a));
    } else {
      v.text += "{}";
      v.args.push_back({"", std::move(part)});
    }
  };
  add(std::move(left));
  add(std::move(right));
  return v;
}

std::optional<Value> string_concatenation(const SyntaxAdapter& adapter, TSNode node, const SourceText& src, int depth) {
  if (node_type(node) != "binary_expression" || src.text_of(child_by_field(node, "operator")) != "+") return std::nullopt;
  Value l = adapter.value_of(child_by_field(node, "left"), src, depth + 1);
  Value r = adapter.value_of(child_by_field(node, "right"), src, depth + 1);
  if (!l.is_string_like() && !r.is_string_like()) return std::nullopt;
  return concat_strings(std::move(l), std::move(r), src.range_of(node));
}

Argument setter_argument(std::string name, std::vector<Argument> values) {
  Argument a;
  a.name = std::move(name);
  if (values.size() == 1) {
    a.value = std::move(values.front().value);
  } else if (values.empty()) {
    a.value.kind = Value::Kind::Bool;  // .stream() / .json_mode(): switched on
    a.value.text = "true";
  } else {
    a.value.kind = Value::Kind::List;
    a.value.args = std::move(values);
  }
  return a;
}

}  // namespace gapmap::lang
