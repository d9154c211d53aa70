#pragma once
// Failing checks become findings with a level from the site's tier; inline comments suppress
// them (`gapmap: ignore[GAP001] reason`) or set a function's tier (`gapmap: tier=critical`).
#include <vector>

#include "core/report_model.h"
#include "core/summary.h"
#include "score/policy.h"

namespace gapmap::score {

// The tier named by a `gapmap: tier=X` comment inside the function around `line`, or on the
// line above it; empty when none.
std::string inline_tier(const FileSummary& file, uint32_t line);

// Findings for every failing check of every site, plus the project-level one; sorted and
// fingerprinted. `files` gives the comments for suppressions (matched by path). Ignore
// comments that suppress nothing come back as notes.
std::vector<Finding> make_findings(const std::vector<CallSite>& sites, const CheckResult& concentration,
                                   const std::vector<FileSummary>& files, const TierPolicy& policy);

// gapmap's own fingerprint: rule, file, enclosing function and normalised call text, so it
// survives code moving between lines (sarif/FINGERPRINTS.md).
std::string finding_fingerprint(const std::string& rule, const std::string& file, const std::string& function,
                                const std::string& call_text, int ordinal);

}  // namespace gapmap::score
