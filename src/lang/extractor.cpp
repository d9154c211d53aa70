#include "lang/extractor.h"

#include <fmt/format.h>

#include <algorithm>
#include <optional>

#include "lang/gomod.h"
#include "lang/notebook.h"

namespace gapmap::lang {
namespace {

constexpr uint32_t kQueryMatchLimit = 512;
constexpr uint32_t kQueryMaxStartDepth = 256;

// A captured node together with the sub-captures of its match.
struct Capture {
  CaptureRole role = CaptureRole::Unknown;
  TSNode node{};
  TSNode a{}, b{};  // callee/args, target/value, name, test/body, ...
};

// What a condition looks at: member paths and string literals, without descending into a path.
void collect_condition(const SyntaxAdapter& ad, TSNode expr, const SourceText& src, Condition& out) {
  std::vector<TSNode> stack{expr};
  int budget = 512;  // conditions are small; a generated monster stays cheap
  while (!stack.empty() && budget-- > 0) {
    TSNode n = stack.back();
    stack.pop_back();
    if (!ts_node_is_named(n)) continue;
    std::string path = ad.path_of(n, src, 0);
    if (!path.empty() && !path.ends_with("()")) {
      if (std::find(out.reads.begin(), out.reads.end(), path) == out.reads.end()) out.reads.push_back(path);
      continue;
    }
    Value v = ad.value_of(n, src, kMaxValueDepth);  // shallow: literals only
    if (v.kind == Value::Kind::String) {
      out.strings.push_back(v.text);
      continue;
    }
    for (uint32_t i = ts_node_named_child_count(n); i > 0; --i) stack.push_back(ts_node_named_child(n, i - 1));
  }
}

std::string trimmed(std::string_view s) {
  size_t b = s.find_first_not_of(" \t\r\n("), e = s.find_last_not_of(" \t\r\n)");
  return b == std::string_view::npos ? std::string{} : std::string(s.substr(b, e - b + 1));
}

// Innermost enclosing scope lookups over ranges sorted by start byte.
struct ScopeIndex {
  struct Entry {
    uint32_t start, end, index, parent;
  };
  std::vector<Entry> entries;  // sorted by start, parents computed

  void build() {
    std::sort(entries.begin(), entries.end(), [](const Entry& x, const Entry& y) {
      return x.start != y.start ? x.start < y.start : x.end > y.end;
    });
    std::vector<uint32_t> stack;
    for (uint32_t i = 0; i < entries.size(); ++i) {
      while (!stack.empty() && entries[stack.back()].end <= entries[i].start) stack.pop_back();
      entries[i].parent = stack.empty() ? UINT32_MAX : stack.back();
      stack.push_back(i);
    }
  }
  // Position (into entries) of the innermost entry strictly containing [start, end).
  uint32_t innermost(uint32_t start, uint32_t end, bool allow_equal = false) const {
    auto it = std::upper_bound(entries.begin(), entries.end(), start,
                               [](uint32_t s, const Entry& e) { return s < e.start; });
    if (it == entries.begin()) return UINT32_MAX;
    uint32_t i = static_cast<uint32_t>(std::distance(entries.begin(), it) - 1);
    while (i != UINT32_MAX) {
      const Entry& e = entries[i];
      bool same = e.start == start && e.end == end;
      if (e.start <= start && end <= e.end && (allow_equal || !same)) return i;
      i = e.parent;
    }
    return UINT32_MAX;
  }
};

void first_error(TSNode root, const SourceText& src, std::vector<ParseProblem>& out) {
  // Iterative descent into the subtrees that contain errors.
  TSTreeCursor cursor = ts_tree_cursor_new(root);
  struct CursorGuard {
    TSTreeCursor* c;
    ~CursorGuard() { ts_tree_cursor_delete(c); }
  } guard{&cursor};
  for (;;) {
    TSNode n = ts_tree_cursor_current_node(&cursor);
    if (ts_node_is_error(n) || ts_node_is_missing(n)) {
      auto r = src.range_of(n);
      out.push_back({r.line, r.column,
                     ts_node_is_missing(n) ? fmt::format("syntax error: missing {}", ts_node_type(n))
                                           : std::string("syntax error: unexpected input")});
      return;
    }
    bool descended = false;
    if (ts_tree_cursor_goto_first_child(&cursor)) {
      do {
        TSNode c = ts_tree_cursor_current_node(&cursor);
        if (ts_node_has_error(c)) {
          descended = true;
          break;
        }
      } while (ts_tree_cursor_goto_next_sibling(&cursor));
    }
    if (!descended) {
      auto r = src.range_of(root);
      out.push_back({r.line, r.column, "syntax error"});
      return;
    }
  }
}

// Summaries of a whole tree stay in memory for phase 2: give back what push_back over-allocated.
void shrink(std::vector<Argument>& args);
void shrink(Value& v) { shrink(v.args); }
void shrink(std::vector<Argument>& args) {
  args.shrink_to_fit();
  for (auto& a : args) shrink(a.value);
}

void compact(FileSummary& s) {
  for (auto& c : s.calls) shrink(c.args);
  for (auto& b : s.bindings) shrink(b.value);
  for (auto& f : s.functions) {
    for (auto& r : f.returns) shrink(r);
    f.returns.shrink_to_fit();
    f.params.shrink_to_fit();
  }
  s.calls.shrink_to_fit();
  s.bindings.shrink_to_fit();
  s.functions.shrink_to_fit();
  s.imports.shrink_to_fit();
  s.handlers.shrink_to_fit();
  s.conditions.shrink_to_fit();
  s.loops.shrink_to_fit();
  s.withs.shrink_to_fit();
  s.raises.shrink_to_fit();
}

bool predicates_hold(const std::vector<TextPredicate>& preds, const TSQueryMatch& match, const SourceText& src) {
  for (const auto& p : preds) {
    bool found = false, ok = false;
    for (uint16_t i = 0; i < match.capture_count && !found; ++i) {
      if (match.captures[i].index != p.capture) continue;
      found = true;
      auto text = src.text_of(match.captures[i].node);
      ok = std::find(p.values.begin(), p.values.end(), text) != p.values.end();
    }
    if (found && ok == p.negate) return false;
  }
  return true;
}

// Go receivers: inside `func (s *Service) Ask()` (and closures in it) `s.x` is the instance's x,
// spelled as the adapter's self name so attribute and method lookups work as for self./this.
void rename_root(std::string& path, const std::string& alias, std::string_view self) {
  if (path.size() < alias.size() || path.compare(0, alias.size(), alias) != 0) return;
  if (path.size() > alias.size() && path[alias.size()] != '.' && path[alias.size()] != '(' && path[alias.size()] != '[')
    return;
  path.replace(0, alias.size(), self);
}
void rename_root(Value& v, const std::string& alias, std::string_view self) {
  if (v.kind == Value::Kind::Name || v.kind == Value::Kind::Call || v.kind == Value::Kind::New ||
      v.kind == Value::Kind::Lambda)
    rename_root(v.text, alias, self);
  for (auto& a : v.args) rename_root(a.value, alias, self);
}

void rename_receivers(FileSummary& out, const std::vector<std::string>& alias_of, std::string_view self) {
  auto alias = [&](uint32_t fn) -> const std::string* {
    return fn < alias_of.size() && !alias_of[fn].empty() ? &alias_of[fn] : nullptr;
  };
  for (auto& c : out.calls)
    if (auto a = alias(c.function)) {
      rename_root(c.callee, *a, self);
      for (auto& arg : c.args) rename_root(arg.value, *a, self);
    }
  for (auto& b : out.bindings)
    if (auto a = alias(b.function)) {
      rename_root(b.target, *a, self);
      rename_root(b.value, *a, self);
    }
  for (uint32_t i = 0; i < out.functions.size(); ++i)
    if (auto a = alias(i))
      for (auto& r : out.functions[i].returns) rename_root(r, *a, self);
}

}  // namespace

Extractor::Extractor(const LanguageRegistry& registry)
    : registry_(registry), cursor_(ts_query_cursor_new()) {
  // Each in-progress match costs every later step; nesting thousands deep (f(f(f(...)))) would
  // make the walk quadratic. Real code never has this many patterns open at once.
  ts_query_cursor_set_match_limit(cursor_.get(), kQueryMatchLimit);
  // Each step of the query walk costs time in proportion to tree depth, so 100k-deep nesting
  // would be quadratic; nothing gapmap reads sits that deep in real code.
  ts_query_cursor_set_max_start_depth(cursor_.get(), kQueryMaxStartDepth);
}

FileSummary Extractor::summarize(std::string_view language, std::string path, std::string_view text) {
  if (language == "notebook") return summarize_notebook(std::move(path), text);
  if (language == "gomod") return summarize_gomod(std::move(path), text);
  const CompiledLanguage* lang = registry_.find(language);
  if (!lang) {
    FileSummary s;
    s.path = std::move(path);
    s.language = std::string(language);
    return s;
  }
  return summarize_source(*lang, std::move(path), text);
}

FileSummary Extractor::summarize_notebook(std::string path, std::string_view text) {
  FileSummary s;
  NotebookSource nb = read_notebook(text);
  const CompiledLanguage* lang = registry_.find(nb.language);
  if (!nb.error.empty() || !lang) {
    s.path = std::move(path);
    s.language = "notebook";
    if (!nb.error.empty()) s.problems.push_back({nb.error_line, 1, nb.error});
    return s;
  }
  s = summarize_source(*lang, std::move(path), nb.code);
  s.cells = std::move(nb.cells);
  return s;
}

FileSummary Extractor::summarize_source(const CompiledLanguage& lang, std::string path, std::string_view text) {
  FileSummary out;
  out.path = std::move(path);
  out.language = std::string(lang.grammar->name);

  auto& parser = parsers_[std::string(lang.grammar->name)];
  if (!parser) {
    parser.reset(ts_parser_new());
    ts_parser_set_language(parser.get(), lang.grammar->language());
  }
  TreeHandle tree(ts_parser_parse_string(parser.get(), nullptr, text.data(), static_cast<uint32_t>(text.size())));
  if (!tree) {
    out.problems.push_back({1, 1, "the parser gave up on this file"});
    return out;
  }
  SourceText src(text);
  TSNode root = ts_tree_root_node(tree.get());
  if (ts_node_has_error(root)) first_error(root, src, out.problems);

  // Gather the captured nodes by role; summarise once scopes are known.
  std::vector<Capture> caps;
  ts_query_cursor_exec(cursor_.get(), lang.query.get(), root);
  TSQueryMatch match;
  while (ts_query_cursor_next_match(cursor_.get(), &match)) {
    if (!predicates_hold(lang.predicates[match.pattern_index], match, src)) continue;
    Capture c;
    for (uint16_t i = 0; i < match.capture_count; ++i) {
      CaptureRole role = lang.roles[match.captures[i].index];
      TSNode n = match.captures[i].node;
      switch (role) {
        case CaptureRole::Call: case CaptureRole::New: case CaptureRole::Binding: case CaptureRole::BindingField:
        case CaptureRole::BindingLoop: case CaptureRole::BindingExport: case CaptureRole::Import: case CaptureRole::Function: case CaptureRole::Class:
        case CaptureRole::Return: case CaptureRole::Try: case CaptureRole::Comment: case CaptureRole::Condition:
        case CaptureRole::Loop: case CaptureRole::LoopForever: case CaptureRole::With: case CaptureRole::Raise:
          c.role = role;
          c.node = n;
          break;
        case CaptureRole::CallCallee: case CaptureRole::BindingTarget: case CaptureRole::FunctionName:
        case CaptureRole::ClassName: case CaptureRole::ReturnValue: case CaptureRole::TryBody:
        case CaptureRole::ConditionTest: case CaptureRole::LoopCondition: case CaptureRole::WithValue:
          c.a = n;
          break;
        case CaptureRole::CallArgs: case CaptureRole::BindingValue: case CaptureRole::ConditionBody:
          c.b = n;
          break;
        case CaptureRole::Unknown: break;
      }
    }
    if (c.role != CaptureRole::Unknown) caps.push_back(c);
  }
  if (ts_query_cursor_did_exceed_match_limit(cursor_.get()))
    out.problems.push_back({1, 1, "nesting too deep to read completely; some calls may be missed"});

  const SyntaxAdapter& ad = *lang.adapter;

  // Classes and functions first: they are the scopes everything else is placed in.
  struct ClassRec {
    std::string name;
    uint32_t start, end;
  };
  std::vector<ClassRec> classes;
  ScopeIndex class_scopes, fn_scopes;
  std::vector<TSNode> fn_nodes;
  for (const auto& c : caps) {
    if (c.role == CaptureRole::Class) {
      class_scopes.entries.push_back({ts_node_start_byte(c.node), ts_node_end_byte(c.node),
                                      static_cast<uint32_t>(classes.size()), 0});
      classes.push_back({ts_node_is_null(c.a) ? "" : std::string(src.text_of(c.a)), ts_node_start_byte(c.node),
                         ts_node_end_byte(c.node)});
    } else if (c.role == CaptureRole::Function) {
      bool dup = std::any_of(fn_nodes.begin(), fn_nodes.end(), [&](TSNode n) { return ts_node_eq(n, c.node); });
      if (!dup) {
        fn_scopes.entries.push_back({ts_node_start_byte(c.node), ts_node_end_byte(c.node),
                                     static_cast<uint32_t>(fn_nodes.size()), 0});
        fn_nodes.push_back(c.node);
      }
    }
  }
  class_scopes.build();
  fn_scopes.build();

  // Functions in source order so parents come first; index = position in fn_scopes.entries.
  std::vector<Binding> typed_params;
  out.functions.resize(fn_scopes.entries.size());
  std::vector<std::string> receiver_alias(fn_scopes.entries.size());
  for (uint32_t i = 0; i < fn_scopes.entries.size(); ++i) {
    const auto& e = fn_scopes.entries[i];
    TSNode node = fn_nodes[e.index];
    Function& f = out.functions[i];
    f.name = ad.function_name(node, src);
    f.range = src.range_of(node);
    f.parent = e.parent;
    f.decorators = ad.decorators_of(node, src);
    uint32_t cls = class_scopes.innermost(e.start, e.end);
    bool in_class = cls != UINT32_MAX &&
                    (e.parent == UINT32_MAX || class_scopes.entries[cls].start > fn_scopes.entries[e.parent].start);
    if (auto receiver = ad.receiver_of(node, src)) {
      f.class_name = receiver->type;
      f.qualified = f.class_name.empty() ? f.name : f.class_name + "." + f.name;
      f.receiver = receiver->name;
      receiver_alias[i] = std::move(receiver->name);
    } else if (in_class) {
      f.class_name = classes[class_scopes.entries[cls].index].name;
      f.qualified = f.class_name + "." + f.name;
    } else if (e.parent != UINT32_MAX) {
      f.class_name = out.functions[e.parent].class_name;
      f.qualified = out.functions[e.parent].qualified + "." + f.name;
      receiver_alias[i] = receiver_alias[e.parent];  // closures see the method's receiver
      f.receiver = receiver_alias[i];
    } else {
      f.qualified = f.name;
    }
    std::vector<Binding> typed;
    ad.parameters_of(node, src, f, typed);
    for (auto& b : typed) {
      b.function = b.target.starts_with(std::string(ad.self_name()) + ".") ? UINT32_MAX : i;
      b.class_name = f.class_name;
      out.bindings.push_back(std::move(b));
    }
    if (auto body = ad.expression_body(node)) f.returns.push_back(ad.value_of(*body, src, 0));
  }

  auto enclosing = [&](TSNode n) -> uint32_t {
    return fn_scopes.innermost(ts_node_start_byte(n), ts_node_end_byte(n), false);
  };
  // The class whose body (not a method of it) directly holds this node.
  auto class_body_of = [&](TSNode n, uint32_t fn) -> std::string {
    uint32_t cls = class_scopes.innermost(ts_node_start_byte(n), ts_node_end_byte(n));
    if (cls == UINT32_MAX) return {};
    if (fn != UINT32_MAX && fn_scopes.entries[fn].start > class_scopes.entries[cls].start) return {};
    return classes[class_scopes.entries[cls].index].name;
  };
  auto class_of = [&](TSNode n, uint32_t fn) -> std::string {
    if (fn != UINT32_MAX) return out.functions[fn].class_name;
    return class_body_of(n, fn);
  };

  for (const auto& c : caps) {
    switch (c.role) {
      case CaptureRole::Call:
      case CaptureRole::New: {
        if (ad.folded_call(c.node, src)) break;
        Call call;
        call.callee = ad.path_of(c.a, src, 0);
        if (c.role == CaptureRole::New) {
          call.is_new = true;
          call.args = ad.arguments_of(child_by_field(c.node, "arguments"), src, 0);
        } else {
          call.args = ad.arguments_of(c.b, src, 0);
        }
        call.range = src.range_of(c.node);
        call.function = enclosing(c.node);
        call.class_name = class_of(c.node, call.function);
        out.calls.push_back(std::move(call));
        break;
      }
      case CaptureRole::BindingExport: {
        // `export default expr`: importers see it as the module's "default".
        if (ts_node_is_null(c.b)) break;
        Binding b;
        b.target = "default";
        b.value = ad.value_of(c.b, src, 0);
        b.range = src.range_of(c.node);
        out.bindings.push_back(std::move(b));
        break;
      }
      case CaptureRole::Binding:
      case CaptureRole::BindingLoop:
      case CaptureRole::BindingField: {
        Binding base;
        base.range = src.range_of(c.node);
        base.function = enclosing(c.node);
        base.class_name = class_of(c.node, base.function);
        std::vector<Binding> bs;
        ad.bindings_of(c.a, c.b, src, base, bs, out.imports);
        std::string cls_body = class_body_of(c.node, base.function);
        for (auto& b : bs) {
          b.loop = c.role == CaptureRole::BindingLoop;
          // Class-body fields (`client = OpenAI()` in a class, TS `private client = ...`) are
          // instance attributes: store them as self./this. paths.
          if ((c.role == CaptureRole::BindingField || !cls_body.empty()) && base.function == UINT32_MAX &&
              !b.target.starts_with(std::string(ad.self_name()) + "."))
            b.target = std::string(ad.self_name()) + "." + b.target;
          out.bindings.push_back(std::move(b));
        }
        break;
      }
      case CaptureRole::Import:
        ad.imports_of(c.node, src, out.imports);
        break;
      case CaptureRole::Return: {
        uint32_t fn = enclosing(c.node);
        if (fn != UINT32_MAX && !ts_node_is_null(c.a)) out.functions[fn].returns.push_back(ad.value_of(c.a, src, 0));
        break;
      }
      case CaptureRole::Try: {
        HandlerRegion region;
        region.body = src.range_of(ts_node_is_null(c.a) ? c.node : c.a);
        ad.handlers_of(c.node, src, region);
        out.handlers.push_back(std::move(region));
        break;
      }
      case CaptureRole::Condition: {
        Condition cond;
        cond.range = src.range_of(c.node);
        TSNode test = ts_node_is_null(c.a) ? c.node : c.a;
        cond.test = src.range_of(test);
        if (!ts_node_is_null(c.b)) cond.body = src.range_of(c.b);
        cond.is_assert = node_type(c.node) == "assert_statement";
        collect_condition(ad, test, src, cond);
        out.conditions.push_back(std::move(cond));
        break;
      }
      case CaptureRole::Loop:
      case CaptureRole::LoopForever: {
        Loop loop;
        loop.range = src.range_of(c.node);
        if (c.role == CaptureRole::LoopForever) {
          loop.unbounded = true;  // Rust's `loop {}`
        } else if (!ts_node_is_null(c.a)) {
          loop.condition = trimmed(src.text_of(c.a));
          loop.unbounded = loop.condition == "True" || loop.condition == "true" || loop.condition == "1";
        } else if (node_type(c.node) == "for_statement" && ts_node_is_null(child_by_field(c.node, "condition")) &&
                   ts_node_is_null(child_by_field(c.node, "right")) && ts_node_is_null(child_by_field(c.node, "left"))) {
          loop.unbounded = true;  // for (;;)
        }
        // A while and its @cond match twice; keep one loop per statement.
        if (out.loops.empty() || out.loops.back().range != loop.range) out.loops.push_back(std::move(loop));
        else if (!loop.condition.empty()) out.loops.back() = std::move(loop);
        break;
      }
      case CaptureRole::With:
        if (!ts_node_is_null(c.a)) out.withs.push_back({src.range_of(c.node), ad.value_of(c.a, src, 0)});
        break;
      case CaptureRole::Raise:
        out.raises.push_back(src.range_of(c.node));
        break;
      case CaptureRole::Comment: {
        auto t = src.text_of(c.node);
        if (t.find("gapmap:") != std::string_view::npos)
          out.comments.push_back({ts_node_start_point(c.node).row + 1, std::string(t)});
        break;
      }
      default: break;
    }
  }
  if (std::any_of(receiver_alias.begin(), receiver_alias.end(), [](const std::string& a) { return !a.empty(); }))
    rename_receivers(out, receiver_alias, ad.self_name());
  ad.finish(out);
  auto by_pos = [](const auto& x, const auto& y) { return x.range.start_byte < y.range.start_byte; };
  std::stable_sort(out.calls.begin(), out.calls.end(), by_pos);
  std::stable_sort(out.bindings.begin(), out.bindings.end(), by_pos);
  compact(out);
  return out;
}

}  // namespace gapmap::lang
