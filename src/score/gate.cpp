#include "score/gate.h"

#include <fmt/format.h>

namespace gapmap::score {

GateResult evaluate_gate(const Report& report, const std::string& fail_on, std::optional<int> min_score) {
  GateResult g;
  Level threshold = fail_on == "note" ? Level::Note : fail_on == "warning" ? Level::Warning : Level::Error;
  if (fail_on != "never")
    for (const auto& f : report.findings)
      if (!f.suppressed && !f.baseline && f.level >= threshold && f.rule != "GAP000") ++g.blocking;
  if (g.blocking) {
    g.failed = true;
    g.reason = fmt::format("{} finding{} at or above {}", g.blocking, g.blocking == 1 ? "" : "s", fail_on);
  }
  if (min_score && report.score && *report.score < *min_score) {
    g.failed = true;
    g.reason += fmt::format("{}project score {} is below --min-score {}", g.reason.empty() ? "" : "; ", *report.score, *min_score);
  }
  return g;
}

}  // namespace gapmap::score
