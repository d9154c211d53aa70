#pragma once
// Levels per tier and score weights (SPEC §4), read from the check documentation data so the
// table in `gapmap explain`, SARIF and the gate can never disagree.
#include <map>
#include <string>
#include <vector>

#include "core/report_model.h"
#include "rules/check_docs.h"

namespace gapmap::score {

class TierPolicy {
 public:
  TierPolicy(std::vector<rules::CheckDoc> docs, const std::map<std::string, int>& weight_overrides);

  Level level(std::string_view check_key, std::string_view tier) const;
  int weight(std::string_view check_key) const;
  const rules::CheckDoc* doc(std::string_view check_key) const;
  const std::vector<rules::CheckDoc>& docs() const { return docs_; }

 private:
  std::vector<rules::CheckDoc> docs_;
  std::map<std::string, int, std::less<>> weights_;
};

// Score of one site: 100 × passing weight / applicable weight, rounded; none if nothing applies.
std::optional<int> site_score(const CallSite& site, const TierPolicy& policy);
// Mean over sites of kind request and binding.
std::optional<int> project_score(const std::vector<CallSite>& sites);

}  // namespace gapmap::score
