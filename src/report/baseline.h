#pragma once
// Baselines (SPEC §5): the findings of an accepted state, by fingerprint, so only new ones gate.
#include <set>
#include <string>

#include "core/report_model.h"

namespace gapmap::report {

std::string render_baseline(const Report& report);
// Throws std::runtime_error "FILE:line:column: ..." for a file that is not a gapmap baseline.
std::set<std::string> parse_baseline(const std::string& text, const std::string& origin);
// Marks findings whose fingerprint is in the baseline; returns how many matched.
size_t apply_baseline(Report& report, const std::set<std::string>& fingerprints);

}  // namespace gapmap::report
