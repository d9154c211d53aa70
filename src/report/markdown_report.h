#pragma once
// A Markdown summary for pull-request comments and $GITHUB_STEP_SUMMARY: score, the worst call
// sites, failures per check, and a collapsible section per file.
#include <cstddef>
#include <string>
#include <vector>

#include "core/report_model.h"
#include "rules/check_docs.h"

namespace gapmap::report {

struct MarkdownOptions {
  std::vector<rules::CheckDoc> checks;  // names and links for rule ids; load_check_docs()
  std::string docs_base_uri{rules::kDocsBaseUri};  // empty = no links
  size_t worst_sites = 10;
  // GitHub rejects comments over 65,536 characters; per-file sections stop before this and say so.
  size_t max_bytes = 60'000;
};

std::string render_markdown(const Report& report, const MarkdownOptions& options);

}  // namespace gapmap::report
