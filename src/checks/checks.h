#pragma once
// The per-site checks of SPEC §3, one file each. Every judge reads only summaries, the project
// index and rules/knowledge data; none sees a syntax tree.
#include <span>
#include <string_view>

#include "checks/context.h"

namespace gapmap::checks {

struct SiteCheck {
  std::string_view key;  // JSON key, as in rules/checks/GAP*.json
  CheckResult (*judge)(const CheckInput&);
};

CheckResult judge_fallback(const CheckInput& in);
CheckResult judge_completion_check(const CheckInput& in);
CheckResult judge_schema_validation(const CheckInput& in);
CheckResult judge_circuit_breaker(const CheckInput& in);
CheckResult judge_retry_safety(const CheckInput& in);
CheckResult judge_tracing(const CheckInput& in);
CheckResult judge_timeout(const CheckInput& in);
CheckResult judge_degradation(const CheckInput& in);
CheckResult judge_human_review(const CheckInput& in);

std::span<const SiteCheck> site_checks();

// Helpers several checks share.
CheckResult pass(std::vector<Evidence> evidence);
CheckResult fail(Evidence evidence);
CheckResult not_applicable(Evidence evidence);
bool generates_text(const CallSite& site);  // chat/completion (the rest is n/a for output checks)
// Arguments of the call, then of the client constructor and every call the receiver went
// through (with_options(timeout=...)), as (value, where) pairs.
struct FoundArgument {
  const Value* value;
  uint32_t file;
  uint32_t line;
  std::string name;
};
std::vector<FoundArgument> arguments_named(const CheckInput& in, const std::vector<std::string>& names);
bool is_present(const Value* v);  // not None/null/False/0
// Does the callee as written, or a call the receiver went through, use a method from `list`?
// ("model.with_structured_output().invoke" uses with_structured_output.)
std::optional<std::string> chain_uses(const CheckInput& in, std::string_view list);
// The project function whose body a frame's call runs in (anonymous callbacks looked through).
const Function* named_function_of(const CheckInput& in, const Frame& frame);

}  // namespace gapmap::checks
