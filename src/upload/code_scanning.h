#pragma once
// Client for GitHub's code scanning SARIF endpoints:
//   POST {api}/repos/{owner}/{repo}/code-scanning/sarifs        (submit)
//   GET  {api}/repos/{owner}/{repo}/code-scanning/sarifs/{id}   (processing status)
// It reports through return values and an optional notice callback; it never prints.
#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "upload/config.h"
#include "upload/http_client.h"
#include "upload/retry.h"
#include "upload/sarif_file.h"

namespace gapmap::upload {

inline constexpr std::string_view kApiVersion = "2022-11-28";
inline constexpr std::string_view kToolName = "gapmap";

// Ok -> exit 0; Failed (server rejected, processing failed, gave up) -> 1; InvalidInput -> 2.
enum class Outcome : uint8_t { Ok, Failed, InvalidInput };

enum class NoticeLevel : uint8_t { Debug, Info, Warning };
// Progress and warnings while a call runs (retries, polling, plain-HTTP warning). Messages are
// already scrubbed of the token.
using NoticeSink = std::function<void(NoticeLevel, const std::string& message)>;
// How the client waits; tests substitute one that records delays instead of sleeping.
using Sleeper = std::function<void(std::chrono::milliseconds)>;

struct PollPolicy {
  std::chrono::milliseconds initial_interval{2'000};
  double growth = 1.5;
  std::chrono::milliseconds max_interval{30'000};
  std::chrono::milliseconds timeout{5 * 60'000};  // overall limit for --wait
  // Right after a 202 the status endpoint can briefly answer 404; this many in a row are
  // treated as "pending" before giving up.
  int max_not_found = 3;
};

struct ClientTuning {
  RetryPolicy retry;
  PollPolicy poll;
  HttpClientOptions http;
  Sleeper sleep;  // empty = std::this_thread::sleep_for
};

struct SubmitResult {
  Outcome outcome = Outcome::Failed;
  std::string sarif_id;
  std::string url;
  long http_status = 0;  // last status seen, 0 if none
  int attempts = 0;
  std::string message;  // why it failed; empty on success
};

struct ProcessingResult {
  Outcome outcome = Outcome::Failed;
  std::string processing_status;    // "complete", "failed", "pending" (timed out), or empty
  std::vector<std::string> errors;  // the API's errors[] when processing failed
  std::string analyses_url;
  std::string message;
};

class CodeScanningClient {
 public:
  // `config` should come from resolve_config; submit() re-validates it and reports InvalidInput.
  explicit CodeScanningClient(UploadConfig config, ClientTuning tuning = {},
                              NoticeSink notify = {});

  SubmitResult submit(const PreparedSarif& sarif,
                      std::chrono::system_clock::time_point started_at =
                          std::chrono::system_clock::now());

  // Polls with growing intervals until processing is complete or failed, or the limit passes.
  ProcessingResult wait_for_processing(const std::string& sarif_id);

 private:
  struct Exchange {
    std::optional<HttpResponse> response;  // last response, if any
    std::string transport_error;           // last transport failure, if no response
    int attempts = 0;
  };
  Exchange send_with_retries(const HttpRequest& request);
  HttpRequest make_request(std::string method, std::string url, std::string body = {}) const;
  std::string describe_failure(const Exchange& exchange, std::string_view action) const;
  void notice(NoticeLevel level, const std::string& message) const;
  void pause(std::chrono::milliseconds delay) const;

  UploadConfig config_;
  ClientTuning tuning_;
  NoticeSink notify_;
  HttpClient http_;
  std::mt19937_64 rng_;
};

// The JSON request body for the submit call.
std::string build_upload_body(const UploadConfig& config, const PreparedSarif& sarif,
                              std::chrono::system_clock::time_point started_at);

// "2024-05-01T09:30:00Z"
std::string format_iso8601_utc(std::chrono::system_clock::time_point t);

// Replaces every occurrence of `secret` in `text`; a no-op for an empty secret.
std::string scrub_secret(std::string text, std::string_view secret);

// Whether a response deserves another attempt: 429, 5xx, and 403 rate-limit answers.
bool is_retryable_status(const HttpResponse& response);

}  // namespace gapmap::upload
