#include "score/policy.h"

#include <cmath>

namespace gapmap::score {

TierPolicy::TierPolicy(std::vector<rules::CheckDoc> docs, const std::map<std::string, int>& weight_overrides)
    : docs_(std::move(docs)) {
  for (const auto& d : docs_) weights_[d.key] = d.weight;
  for (const auto& [k, w] : weight_overrides) weights_[k] = w;
}

const rules::CheckDoc* TierPolicy::doc(std::string_view check_key) const {
  for (const auto& d : docs_)
    if (d.key == check_key) return &d;
  return nullptr;
}

Level TierPolicy::level(std::string_view check_key, std::string_view tier) const {
  const rules::CheckDoc* d = doc(check_key);
  return d ? d->level_for(tier) : Level::None;
}

int TierPolicy::weight(std::string_view check_key) const {
  auto it = weights_.find(check_key);
  return it == weights_.end() ? 0 : it->second;
}

std::optional<int> site_score(const CallSite& site, const TierPolicy& policy) {
  int total = 0, passed = 0;
  for (const auto& [key, result] : site.checks) {
    if (result.status == CheckStatus::NotApplicable) continue;
    int w = policy.weight(key);
    total += w;
    if (result.status == CheckStatus::Pass) passed += w;
  }
  if (total == 0) return std::nullopt;
  return static_cast<int>(std::lround(100.0 * passed / total));
}

std::optional<int> project_score(const std::vector<CallSite>& sites) {
  double sum = 0;
  int n = 0;
  for (const auto& s : sites) {
    if ((s.kind != "request" && s.kind != "binding") || !s.score) continue;
    sum += *s.score;
    ++n;
  }
  if (n == 0) return std::nullopt;
  return static_cast<int>(std::lround(sum / n));
}

}  // namespace gapmap::score
