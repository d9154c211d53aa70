#include "checks/checks.h"

#include <array>
#include <functional>

namespace gapmap::checks {

std::span<const SiteCheck> site_checks() {
  static constexpr std::array kChecks{
      SiteCheck{"fallback", judge_fallback},
      SiteCheck{"completion_check", judge_completion_check},
      SiteCheck{"schema_validation", judge_schema_validation},
      SiteCheck{"circuit_breaker", judge_circuit_breaker},
      SiteCheck{"retry_safety", judge_retry_safety},
      SiteCheck{"tracing", judge_tracing},
      SiteCheck{"timeout", judge_timeout},
      SiteCheck{"degradation", judge_degradation},
      SiteCheck{"human_review", judge_human_review},
  };
  return kChecks;
}

CheckResult pass(std::vector<Evidence> evidence) { return {CheckStatus::Pass, std::move(evidence)}; }
CheckResult fail(Evidence evidence) { return {CheckStatus::Fail, {std::move(evidence)}}; }
CheckResult not_applicable(Evidence evidence) { return {CheckStatus::NotApplicable, {std::move(evidence)}}; }

bool generates_text(const CallSite& site) { return site.api == "chat" || site.api == "completion"; }

bool is_present(const Value* v) {
  if (!v) return false;
  switch (v->kind) {
    case Value::Kind::None:
    case Value::Kind::Null: return false;
    case Value::Kind::Bool: return v->text == "true";
    case Value::Kind::Number: return v->text != "0";
    default: return true;
  }
}

std::optional<std::string> chain_uses(const CheckInput& in, std::string_view list) {
  const std::string& callee = in.call().callee;
  size_t pos = 0;
  while (pos < callee.size()) {
    size_t dot = callee.find('.', pos);
    std::string seg = callee.substr(pos, dot == std::string::npos ? std::string::npos : dot - pos);
    seg = seg.substr(0, seg.find_first_of("(["));
    if (dot != std::string::npos && in.knowledge.contains(list, seg)) return seg;  // not the final method
    if (dot == std::string::npos) break;
    pos = dot + 1;
  }
  for (const auto& step : in.site.steps)
    if (in.knowledge.contains(list, last_segment(step.callee))) return last_segment(step.callee);
  return std::nullopt;
}

std::vector<FoundArgument> arguments_named(const CheckInput& in, const std::vector<std::string>& names) {
  std::vector<FoundArgument> out;
  // Options also hide one level down: config={...}, generation_config={...}, { providerOptions: {...} }.
  std::function<void(const std::vector<Argument>&, uint32_t, uint32_t, int)> scan_nested =
      [&](const std::vector<Argument>& args, uint32_t file, uint32_t line, int depth) {
        for (const auto& n : names)
          if (const Value* v = detect::find_argument(args, n)) out.push_back({v, file, line, n});
        if (depth >= 2) return;
        for (const auto& a : args)
          if (a.value.kind == Value::Kind::Object && !a.name.empty()) scan_nested(a.value.args, file, line, depth + 1);
          else if (a.value.kind == Value::Kind::Object)
            for (const auto& field : a.value.args)
              if (field.value.kind == Value::Kind::Object) scan_nested(field.value.args, file, line, depth + 1);
      };
  // **params / ...options: the dict or object literal the call spreads, when it is a local.
  auto scan = [&](const std::vector<Argument>& args, uint32_t file, uint32_t line) {
    scan_nested(args, file, line, 0);
    for (const auto& a : args) {
      if ((a.name != "**" && a.name != "...") || a.value.kind != Value::Kind::Name) continue;
      const Call& call = in.call();
      index::Scope scope{file, file == in.site.file ? call.function : kModuleScope, call.class_name, call.range.start_byte};
      if (auto bound = in.resolver.binding_value(scope, a.value.text); bound && bound->first->kind == Value::Kind::Object)
        scan_nested(bound->first->args, file, bound->first->range.line, 0);
    }
  };
  const Call& call = in.call();
  scan(call.args, in.site.file, call.range.line);
  for (const auto& step : in.site.steps) scan(step.call->args, step.scope.file, step.call->range.line);
  // A client built with an explicit HTTP client: OpenAI(http_client=httpx.Client(timeout=10)),
  // Client::with_config(cfg).with_http_client(http) where http was built with a timeout.
  const auto& http_args = in.knowledge.list("resilience.http_client_args");
  for (const auto& step : in.site.steps)
    for (const auto& a : step.call->args) {
      if (std::find(http_args.begin(), http_args.end(), a.name) == http_args.end()) continue;
      const Value* v = &a.value;
      uint32_t file = step.scope.file;
      if (v->kind == Value::Kind::Name)
        if (auto bound = in.resolver.binding_value(step.scope, v->text)) {
          v = bound->first;
          file = bound->second.file;
        }
      if (v->kind == Value::Kind::Call || v->kind == Value::Kind::New || v->kind == Value::Kind::Object)
        scan(v->args, file, v->range.line);
    }
  return out;
}

const Function* named_function_of(const CheckInput& in, const Frame& frame) {
  const FileSummary& f = in.index.file(frame.file);
  uint32_t fn = index::CallGraph::named_function(f, f.calls[frame.call].function);
  return fn == kModuleScope ? nullptr : &f.functions[fn];
}

std::optional<index::FunctionRef> declared_fallback(const CheckInput& in, const Frame& frame) {
  const Function* fn = named_function_of(in, frame);
  if (!fn) return std::nullopt;
  const FileSummary& f = in.index.file(frame.file);
  for (const auto& d : fn->decorators)
    for (const auto& a : d.args) {
      if (a.value.kind != Value::Kind::String || !in.knowledge.contains("resilience.fallback_method_args", a.name)) continue;
      std::string qualified = fn->class_name.empty() ? a.value.text : fn->class_name + "." + a.value.text;
      if (auto target = in.index.qualified_function(frame.file, qualified)) return index::FunctionRef{frame.file, *target};
      if (auto top = in.index.top_function(frame.file, a.value.text)) return index::FunctionRef{frame.file, *top};
      (void)f;
    }
  return std::nullopt;
}

}  // namespace gapmap::checks
