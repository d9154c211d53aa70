#pragma once
// The CI gate (SPEC §5): exit 1 when a finding at or above --fail-on is neither suppressed nor in
// the baseline, or the project score is below --min-score.
#include <optional>
#include <string>

#include "core/report_model.h"

namespace gapmap::score {

struct GateResult {
  bool failed = false;
  size_t blocking = 0;  // findings at or above the threshold
  std::string reason;   // one line for the user
};

// fail_on: "error" | "warning" | "note" | "never".
GateResult evaluate_gate(const Report& report, const std::string& fail_on, std::optional<int> min_score);

}  // namespace gapmap::score
