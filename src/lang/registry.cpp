#include "lang/registry.h"

#include <fmt/format.h>

#include <array>

namespace gapmap::lang {
namespace {

struct RoleName {
  std::string_view name;
  CaptureRole role;
};

constexpr std::array kRoleNames{
    RoleName{"call", CaptureRole::Call},           RoleName{"call.callee", CaptureRole::CallCallee},
    RoleName{"call.args", CaptureRole::CallArgs},  RoleName{"call.new", CaptureRole::New},
    RoleName{"binding", CaptureRole::Binding},     RoleName{"binding.field", CaptureRole::BindingField},
    RoleName{"binding.target", CaptureRole::BindingTarget},
    RoleName{"binding.value", CaptureRole::BindingValue},
    RoleName{"import", CaptureRole::Import},       RoleName{"function", CaptureRole::Function},
    RoleName{"function.name", CaptureRole::FunctionName},
    RoleName{"class", CaptureRole::Class},         RoleName{"class.name", CaptureRole::ClassName},
    RoleName{"return", CaptureRole::Return},       RoleName{"return.value", CaptureRole::ReturnValue},
    RoleName{"try", CaptureRole::Try},             RoleName{"try.body", CaptureRole::TryBody},
    RoleName{"binding.loop", CaptureRole::BindingLoop},
    RoleName{"binding.export", CaptureRole::BindingExport},
    RoleName{"cond", CaptureRole::Condition},      RoleName{"cond.test", CaptureRole::ConditionTest},
    RoleName{"cond.body", CaptureRole::ConditionBody},
    RoleName{"loop", CaptureRole::Loop},           RoleName{"loop.cond", CaptureRole::LoopCondition},
    RoleName{"loop.forever", CaptureRole::LoopForever},
    RoleName{"with", CaptureRole::With},           RoleName{"with.value", CaptureRole::WithValue},
    RoleName{"raise", CaptureRole::Raise},
    RoleName{"comment", CaptureRole::Comment},
};

std::unique_ptr<SyntaxAdapter> adapter_for(std::string_view grammar) {
  if (grammar == "python") return make_python_adapter();
  if (grammar == "javascript" || grammar == "typescript" || grammar == "tsx") return make_ecma_adapter();
  if (grammar == "go") return make_go_adapter();
  if (grammar == "rust") return make_rust_adapter();
  if (grammar == "java") return make_java_adapter();
  return nullptr;
}

// Reads each pattern's text predicates once, so matching only compares strings. Anything else
// (#match?, capture-to-capture #eq?) is refused by name rather than silently ignored.
std::vector<std::vector<TextPredicate>> text_predicates(const TSQuery* query, const std::string& origin) {
  std::vector<std::vector<TextPredicate>> out(ts_query_pattern_count(query));
  for (uint32_t p = 0; p < out.size(); ++p) {
    uint32_t count = 0;
    const TSQueryPredicateStep* steps = ts_query_predicates_for_pattern(query, p, &count);
    uint32_t i = 0;
    while (i < count) {
      uint32_t end = i;
      while (end < count && steps[end].type != TSQueryPredicateStepTypeDone) ++end;
      auto text = [&](uint32_t id) {
        uint32_t len = 0;
        const char* s = ts_query_string_value_for_id(query, id, &len);
        return std::string(s, len);
      };
      std::string name = steps[i].type == TSQueryPredicateStepTypeString ? text(steps[i].value_id) : "";
      bool known = name == "eq?" || name == "any-of?" || name == "not-eq?" || name == "not-any-of?";
      if (!known || end - i < 3 || steps[i + 1].type != TSQueryPredicateStepTypeCapture)
        throw rules::RuleError(fmt::format("{}: pattern {}: only (#eq? @capture \"text\") and (#any-of? @capture "
                                           "\"a\" ...) predicates are supported, not #{}",
                                           origin, p + 1, name.empty() ? "(unnamed)" : name));
      TextPredicate pred;
      pred.capture = steps[i + 1].value_id;
      pred.negate = name.starts_with("not-");
      for (uint32_t k = i + 2; k < end; ++k) {
        if (steps[k].type != TSQueryPredicateStepTypeString)
          throw rules::RuleError(fmt::format("{}: pattern {}: #{} compares with text, not another capture", origin,
                                             p + 1, name));
        pred.values.push_back(text(steps[k].value_id));
      }
      out[p].push_back(std::move(pred));
      i = end + 1;
    }
  }
  return out;
}

// Resolves "; inherits: NAME" lines (as nvim-treesitter does) by prepending NAME.scm.
std::string query_source(const rules::RuleFiles& files, const std::string& relative, int depth = 0) {
  const std::string* text = files.find(relative);
  if (!text) throw rules::RuleError(fmt::format("{}: query file missing from the rule packs", relative));
  std::string out;
  constexpr std::string_view kInherits = "; inherits: ";
  if (text->starts_with(kInherits) && depth < 4) {
    auto eol = text->find('\n');
    std::string parent = text->substr(kInherits.size(), eol - kInherits.size());
    auto slash = relative.rfind('/');
    out = query_source(files, relative.substr(0, slash + 1) + parent + ".scm", depth + 1) + "\n";
  }
  return out + *text;
}

const char* query_error_name(TSQueryError e) {
  switch (e) {
    case TSQueryErrorSyntax: return "syntax error";
    case TSQueryErrorNodeType: return "unknown node type for this grammar";
    case TSQueryErrorField: return "unknown field for this grammar";
    case TSQueryErrorCapture: return "unknown capture";
    case TSQueryErrorStructure: return "impossible pattern structure";
    case TSQueryErrorLanguage: return "grammar ABI not supported by the runtime";
    default: return "error";
  }
}

}  // namespace

LanguageRegistry::LanguageRegistry(const rules::RuleFiles& files) : files_(files) {}

void LanguageRegistry::prepare(std::string_view language) {
  if (language == "notebook") language = "python";  // notebooks are summarised as their code cells
  if (languages_.count(language)) return;
  const GrammarInfo* g = grammar_by_name(language);
  if (!g || g->query_file.empty()) return;
  auto adapter = adapter_for(g->name);
  if (!adapter) return;
  std::string rel(g->query_file);
  std::string source = query_source(files_, rel);
  uint32_t error_offset = 0;
  TSQueryError error = TSQueryErrorNone;
  QueryHandle query(ts_query_new(g->language(), source.data(), static_cast<uint32_t>(source.size()), &error_offset, &error));
  if (!query) {
    auto [line, col] = rules::line_column_of(source, error_offset);
    throw rules::RuleError(fmt::format("{}:{}:{}: query does not compile for {} ({}){}", files_.origin(rel), line, col,
                                       g->name, query_error_name(error),
                                       source != *files_.find(rel) ? " (line counted with the inherited file first)" : ""));
  }
  auto compiled = std::make_unique<CompiledLanguage>();
  compiled->grammar = g;
  uint32_t n = ts_query_capture_count(query.get());
  compiled->roles.resize(n, CaptureRole::Unknown);
  for (uint32_t i = 0; i < n; ++i) {
    uint32_t len = 0;
    const char* name = ts_query_capture_name_for_id(query.get(), i, &len);
    std::string_view cname(name, len);
    for (const auto& r : kRoleNames)
      if (r.name == cname) compiled->roles[i] = r.role;
  }
  compiled->predicates = text_predicates(query.get(), files_.origin(rel));
  compiled->query = std::move(query);
  compiled->adapter = std::move(adapter);
  languages_.emplace(std::string(g->name), std::move(compiled));
}

void LanguageRegistry::prepare_all() {
  for (const auto& g : grammars()) prepare(g.name);
}

const CompiledLanguage* LanguageRegistry::find(std::string_view name) const {
  auto it = languages_.find(name);
  return it == languages_.end() ? nullptr : it->second.get();
}

}  // namespace gapmap::lang
