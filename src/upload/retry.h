#pragma once
// Retry timing for calls to the GitHub API: bounded attempts, exponential backoff with jitter, and
// the server's Retry-After when it sends one.
#include <chrono>
#include <optional>
#include <random>
#include <string_view>

namespace gapmap::upload {

struct RetryPolicy {
  int max_attempts = 5;  // including the first
  std::chrono::milliseconds initial_backoff{1'000};
  std::chrono::milliseconds max_backoff{30'000};
  // A misbehaving proxy can send Retry-After: 86400; waiting that long helps nobody.
  std::chrono::milliseconds max_retry_after{60'000};
};

// Only the delay-seconds form. The HTTP-date form yields nullopt, and the caller falls back to
// its own backoff: GitHub sends seconds, and a date would depend on clock skew anyway.
std::optional<std::chrono::seconds> parse_retry_after(std::string_view value);

// Delay before retry number `retry` (1 for the first retry): initial_backoff * 2^(retry-1),
// capped at max_backoff, then scaled by a random factor in [0.5, 1] so that many clients
// failing together do not retry in lockstep.
std::chrono::milliseconds backoff_delay(const RetryPolicy& policy, int retry, std::mt19937_64& rng);

// The server's Retry-After wins (capped); without one, backoff_delay.
std::chrono::milliseconds retry_delay(const RetryPolicy& policy, int retry,
                                      std::optional<std::chrono::seconds> retry_after,
                                      std::mt19937_64& rng);

}  // namespace gapmap::upload
