#include "upload/retry.h"

#include <algorithm>
#include <charconv>
#include <cstdint>

namespace gapmap::upload {

std::optional<std::chrono::seconds> parse_retry_after(std::string_view value) {
  const auto first = value.find_first_not_of(" \t");
  if (first == std::string_view::npos) return std::nullopt;
  const auto last = value.find_last_not_of(" \t");
  value = value.substr(first, last - first + 1);
  uint64_t seconds = 0;
  const auto [ptr, ec] = std::from_chars(value.data(), value.data() + value.size(), seconds);
  if (ec == std::errc::result_out_of_range) {
    // All digits but huge: still a valid "wait a long time"; the cap deals with it.
    const bool digits = std::all_of(value.begin(), value.end(),
                                    [](char c) { return c >= '0' && c <= '9'; });
    if (digits) return std::chrono::seconds(INT32_MAX);
    return std::nullopt;
  }
  if (ec != std::errc() || ptr != value.data() + value.size()) return std::nullopt;
  return std::chrono::seconds(static_cast<int64_t>(std::min<uint64_t>(seconds, INT32_MAX)));
}

std::chrono::milliseconds backoff_delay(const RetryPolicy& policy, int retry,
                                        std::mt19937_64& rng) {
  using std::chrono::milliseconds;
  const int64_t cap = std::max<int64_t>(0, policy.max_backoff.count());
  int64_t delay = std::max<int64_t>(0, policy.initial_backoff.count());
  delay = std::min(delay, cap);
  // Saturates at the cap instead of doubling past it, so no retry count or policy can overflow.
  for (int i = 1; i < retry && delay < cap; ++i) delay = delay > cap / 2 ? cap : delay * 2;
  std::uniform_real_distribution<double> jitter(0.5, 1.0);
  return milliseconds(static_cast<int64_t>(static_cast<double>(delay) * jitter(rng)));
}

std::chrono::milliseconds retry_delay(const RetryPolicy& policy, int retry,
                                      std::optional<std::chrono::seconds> retry_after,
                                      std::mt19937_64& rng) {
  if (retry_after) {
    const auto wanted = std::chrono::duration_cast<std::chrono::milliseconds>(*retry_after);
    return std::min(wanted, policy.max_retry_after);
  }
  return backoff_delay(policy, retry, rng);
}

}  // namespace gapmap::upload
