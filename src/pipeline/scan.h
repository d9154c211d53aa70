#pragma once
// The whole pipeline of SPEC §1 as a library call: discover, summarise files in parallel, index,
// detect, judge, score. Produces a Report; writes nothing.
#include <functional>
#include <string>
#include <vector>

#include "core/report_model.h"
#include "config/config.h"
#include "core/summary.h"
#include "discover/walker.h"
#include "rules/check_docs.h"
#include "rules/rule_files.h"

namespace gapmap::pipeline {

struct ScanOptions {
  discover::DiscoverOptions discover;
  unsigned jobs = 0;  // 0 = hardware threads
  config::Config config;
  std::string tier_override;  // --tier: every site not matched by a config glob
  // Called from worker threads after each file (for a progress bar); may be empty.
  std::function<void(size_t done, size_t total)> progress;
};

// Where a scan's time went, for `--timings` and the benchmark (never part of a report: it varies).
struct PhaseTiming {
  std::string phase;
  double seconds = 0;
  double peak_mb = 0;  // peak resident memory at the end of the phase
};

struct ScanOutput {
  Report report;
  std::vector<PhaseTiming> timings;
  std::vector<FileSummary> summaries;  // in discovery order (by path)
  std::string root;                    // the scan root, as given
  std::vector<rules::CheckDoc> docs;   // the checks' documentation, read once for scoring and reports
};

// Throws discover::DiscoverError for missing paths and rules::RuleError for broken rule packs.
ScanOutput scan(const std::vector<std::string>& paths, const ScanOptions& options, const rules::RuleFiles& rules);

// Reads a source file as UTF-8 text: strips a UTF-8 BOM and converts UTF-16 with a BOM.
// Returns false for binary content (a NUL byte in UTF-8 text).
bool decode_source(std::string& bytes);

}  // namespace gapmap::pipeline
