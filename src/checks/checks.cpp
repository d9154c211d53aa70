#include "checks/checks.h"

#include <array>

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

std::vector<FoundArgument> arguments_named(const CheckInput& in, const std::vector<std::string>& names) {
  std::vector<FoundArgument> out;
  auto scan = [&](const std::vector<Argument>& args, uint32_t file, uint32_t line) {
    for (const auto& n : names)
      if (const Value* v = detect::find_argument(args, n)) out.push_back({v, file, line, n});
  };
  const Call& call = in.call();
  scan(call.args, in.site.file, call.range.line);
  for (const auto& step : in.site.steps) scan(step.call->args, step.scope.file, step.call->range.line);
  // A client built with an explicit HTTP client: OpenAI(http_client=httpx.Client(timeout=10)).
  for (const auto& step : in.site.steps)
    for (const auto& a : step.call->args)
      if (a.value.kind == Value::Kind::Call || a.value.kind == Value::Kind::New)
        if (a.name == "http_client" || a.name == "httpAgent" || a.name == "fetch") scan(a.value.args, step.scope.file, a.value.range.line);
  return out;
}

const Function* named_function_of(const CheckInput& in, const Frame& frame) {
  const FileSummary& f = in.index.file(frame.file);
  uint32_t fn = index::CallGraph::named_function(f, f.calls[frame.call].function);
  return fn == kModuleScope ? nullptr : &f.functions[fn];
}

}  // namespace gapmap::checks
