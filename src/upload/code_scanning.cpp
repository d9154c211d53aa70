#include "upload/code_scanning.h"

#include <algorithm>
#include <ctime>
#include <thread>

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <nlohmann/json.hpp>

#include "upload/base64.h"

#ifndef GAPMAP_VERSION
#error "GAPMAP_VERSION must be defined by the build (it goes into the User-Agent header)"
#endif

namespace gapmap::upload {
namespace {

using std::chrono::milliseconds;

std::string format_duration(milliseconds d) {
  if (d < milliseconds(1'000)) return fmt::format("{} ms", d.count());
  return fmt::format("{:.1f} s", static_cast<double>(d.count()) / 1000.0);
}

std::string collapse_whitespace(std::string_view text) {
  std::string out;
  bool space = false;
  for (const char c : text) {
    if (c == ' ' || c == '\n' || c == '\r' || c == '\t') {
      space = !out.empty();
      continue;
    }
    if (space) out += ' ';
    space = false;
    out += c;
  }
  return out;
}

std::string truncate(std::string text, std::size_t max) {
  if (text.size() > max) {
    text.resize(max);
    text += "...";
  }
  return text;
}

// What the server said, in one line: the "message" of a GitHub error document (plus its
// "errors" details), or else the start of the raw body.
std::string server_detail(const std::string& body) {
  const auto doc = nlohmann::json::parse(body, nullptr, false);
  if (doc.is_object()) {
    std::string detail;
    if (const auto m = doc.find("message"); m != doc.end() && m->is_string()) {
      detail = m->get<std::string>();
    }
    if (const auto errs = doc.find("errors"); errs != doc.end() && errs->is_array()) {
      for (const auto& e : *errs) {
        std::string item;
        if (e.is_string()) {
          item = e.get<std::string>();
        } else if (e.is_object() && e.contains("message") && e["message"].is_string()) {
          item = e["message"].get<std::string>();
        } else {
          item = e.dump();
        }
        detail += (detail.empty() ? "" : "; ") + item;
      }
    }
    if (!detail.empty()) return truncate(collapse_whitespace(detail), 1'000);
  }
  return truncate(collapse_whitespace(body), 300);
}

std::string json_string_or_number(const nlohmann::json& doc, const char* key) {
  const auto it = doc.find(key);
  if (it == doc.end()) return {};
  if (it->is_string()) return it->get<std::string>();
  if (it->is_number_integer()) return it->dump();
  return {};
}

bool is_safe_path_segment(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           c == '-' || c == '_' || c == '.';
  }) && s != "." && s != "..";
}

std::string with_detail(std::string message, const std::string& detail) {
  if (!detail.empty()) message += ": " + detail;
  return message;
}

}  // namespace

std::string format_iso8601_utc(std::chrono::system_clock::time_point t) {
  const std::time_t secs = std::chrono::system_clock::to_time_t(t);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[32];
  const std::size_t n = std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return std::string(buf, n);
}

std::string scrub_secret(std::string text, std::string_view secret) {
  if (secret.empty()) return text;
  constexpr std::string_view kMask = "***";
  for (auto pos = text.find(secret); pos != std::string::npos;
       pos = text.find(secret, pos + kMask.size())) {
    text.replace(pos, secret.size(), kMask);
  }
  return text;
}

bool is_retryable_status(const HttpResponse& response) {
  if (response.status == 429 || (response.status >= 500 && response.status <= 599)) return true;
  // GitHub's rate limits answer 403 (primary: x-ratelimit-remaining 0; secondary: Retry-After).
  // Without those headers a 403 is a real permission problem and retrying cannot help.
  if (response.status == 403) {
    return response.header("retry-after").has_value() ||
           response.header("x-ratelimit-remaining") == std::optional<std::string>("0");
  }
  return false;
}

std::string build_upload_body(const UploadConfig& config, const PreparedSarif& sarif,
                              std::chrono::system_clock::time_point started_at) {
  nlohmann::json body = {
      {"commit_sha", config.commit_sha},
      {"ref", config.ref},
      {"sarif", base64_encode(sarif.gzipped)},
      {"started_at", format_iso8601_utc(started_at)},
      {"tool_name", kToolName},
  };
  if (config.checkout_uri) body["checkout_uri"] = *config.checkout_uri;
  return body.dump();
}

CodeScanningClient::CodeScanningClient(UploadConfig config, ClientTuning tuning,
                                       NoticeSink notify)
    : config_(std::move(config)),
      tuning_(std::move(tuning)),
      notify_(std::move(notify)),
      http_(tuning_.http),
      rng_(std::random_device{}()) {
  config_.api_url = normalize_api_url(config_.api_url);
  if (is_plain_http(config_.api_url)) {
    notice(NoticeLevel::Warning,
           fmt::format("{} uses plain HTTP: the token and the SARIF travel unencrypted; use this "
                       "only for a lab or test server",
                       config_.api_url));
  }
}

void CodeScanningClient::notice(NoticeLevel level, const std::string& message) const {
  if (notify_) notify_(level, scrub_secret(message, config_.token));
}

void CodeScanningClient::pause(milliseconds delay) const {
  if (delay <= milliseconds::zero()) return;
  if (tuning_.sleep) {
    tuning_.sleep(delay);
  } else {
    std::this_thread::sleep_for(delay);
  }
}

HttpRequest CodeScanningClient::make_request(std::string method, std::string url,
                                             std::string body) const {
  HttpRequest request;
  request.method = std::move(method);
  request.url = std::move(url);
  request.body = std::move(body);
  request.headers = {
      "Accept: application/vnd.github+json",
      fmt::format("X-GitHub-Api-Version: {}", kApiVersion),
      "Authorization: Bearer " + config_.token,
      "User-Agent: gapmap/" GAPMAP_VERSION,
  };
  if (request.method == "POST") request.headers.emplace_back("Content-Type: application/json");
  return request;
}

CodeScanningClient::Exchange CodeScanningClient::send_with_retries(const HttpRequest& request) {
  Exchange exchange;
  const int max_attempts = std::max(1, tuning_.retry.max_attempts);
  for (int attempt = 1;; ++attempt) {
    exchange.attempts = attempt;
    HttpResult result = http_.send(request);
    bool retry = false;
    std::optional<std::chrono::seconds> retry_after;
    std::string what;
    if (result.response) {
      exchange.response = std::move(result.response);
      exchange.transport_error.clear();
      retry = is_retryable_status(*exchange.response);
      if (auto value = exchange.response->header("retry-after")) {
        retry_after = parse_retry_after(*value);
      }
      what = fmt::format("HTTP {}", exchange.response->status);
    } else {
      exchange.response.reset();
      exchange.transport_error = scrub_secret(result.error, config_.token);
      retry = result.retryable;
      what = exchange.transport_error;
    }
    if (exchange.response) {
      notice(NoticeLevel::Debug, fmt::format("{} {} -> {}", request.method, request.url, what));
    }
    if (!retry || attempt >= max_attempts) return exchange;

    const milliseconds delay = retry_delay(tuning_.retry, attempt, retry_after, rng_);
    notice(NoticeLevel::Info,
           fmt::format("{} {} failed ({}), attempt {} of {}; retrying in {}{}", request.method,
                       request.url, what, attempt, max_attempts, format_duration(delay),
                       retry_after ? " (Retry-After)" : ""));
    pause(delay);
  }
}

std::string CodeScanningClient::describe_failure(const Exchange& exchange,
                                                 std::string_view action) const {
  const std::string attempts =
      exchange.attempts > 1 ? fmt::format(" (after {} attempts)", exchange.attempts) : "";
  if (!exchange.response) {
    return fmt::format("cannot {}: could not reach {}: {}{}", action, config_.api_url,
                       exchange.transport_error, attempts);
  }
  const HttpResponse& r = *exchange.response;
  const std::string detail = scrub_secret(server_detail(r.body), config_.token);
  const long s = r.status;
  std::string msg;
  if (s == 401) {
    msg = fmt::format("cannot {}: authentication failed (HTTP 401): the token in {} is invalid or "
                      "expired",
                      action, config_.token_env);
  } else if (s == 403 && is_retryable_status(r)) {
    msg = fmt::format("cannot {}: rate limited by GitHub (HTTP 403){}", action, attempts);
  } else if (s == 403) {
    msg = fmt::format(
        "cannot {}: permission denied (HTTP 403) for {}: the token in {} needs the "
        "security_events scope (classic personal access token) or the security-events: write "
        "permission (GitHub Actions, GitHub App, fine-grained token), and code scanning must be "
        "enabled for the repository (GitHub Advanced Security, for private repositories)",
        action, config_.repository, config_.token_env);
  } else if (s == 404) {
    msg = fmt::format(
        "cannot {}: repository {} not found (HTTP 404) at {}, or the token in {} cannot see it; "
        "check --repo, and for GitHub Enterprise Server use --api-url https://HOST/api/v3",
        action, config_.repository, config_.api_url, config_.token_env);
  } else if (s == 410) {
    msg = fmt::format(
        "cannot {}: HTTP 410 Gone: the server no longer serves this endpoint for API version {}; "
        "a newer gapmap may be needed",
        action, kApiVersion);
  } else if (s == 429 || s >= 500) {
    msg = fmt::format("cannot {}: GitHub answered HTTP {}{}", action, s, attempts);
  } else if (s >= 300 && s < 400) {
    msg = fmt::format("cannot {}: unexpected redirect (HTTP {}) to '{}'; check --api-url (GitHub "
                      "Enterprise Server: https://HOST/api/v3)",
                      action, s, scrub_secret(r.header("location").value_or(""), config_.token));
  } else {
    msg = fmt::format("cannot {}: unexpected HTTP {}", action, s);
  }
  return with_detail(std::move(msg), detail);
}

SubmitResult CodeScanningClient::submit(const PreparedSarif& sarif,
                                        std::chrono::system_clock::time_point started_at) {
  SubmitResult result;
  if (const auto errors = validate_config(config_); !errors.empty()) {
    result.outcome = Outcome::InvalidInput;
    result.message = scrub_secret(fmt::format("{}", fmt::join(errors, "; ")), config_.token);
    return result;
  }
  const std::string url =
      fmt::format("{}/repos/{}/code-scanning/sarifs", config_.api_url, config_.repository);
  HttpRequest request = make_request("POST", url, build_upload_body(config_, sarif, started_at));
  notice(NoticeLevel::Debug,
         fmt::format("POST {}: SARIF {} bytes, gzip {} bytes, request body {} bytes", url,
                     sarif.raw_bytes, sarif.gzipped.size(), request.body.size()));

  const Exchange exchange = send_with_retries(request);
  result.attempts = exchange.attempts;
  if (exchange.response) result.http_status = exchange.response->status;
  const bool ok = exchange.response && exchange.response->status >= 200 &&
                  exchange.response->status < 300;
  if (!ok) {
    const long s = exchange.response ? exchange.response->status : 0;
    const std::string detail =
        exchange.response ? scrub_secret(server_detail(exchange.response->body), config_.token)
                          : std::string();
    if (s == 400) {
      result.message = with_detail(
          "GitHub rejected the SARIF as invalid (HTTP 400); check that it is SARIF 2.1.0 as "
          "code scanning expects",
          detail);
    } else if (s == 413) {
      result.message = with_detail(
          fmt::format("SARIF upload too large (HTTP 413): {} bytes gzip-compressed, {} bytes in "
                      "the request; reduce the number of results or split the analysis",
                      sarif.gzipped.size(), request.body.size()),
          detail);
    } else if (s == 422) {
      result.message = with_detail(
          fmt::format("GitHub could not accept the upload (HTTP 422); check that commit {} and "
                      "ref {} exist in {}",
                      config_.commit_sha, config_.ref, config_.repository),
          detail);
    } else {
      result.message = describe_failure(exchange, "upload SARIF");
    }
    return result;
  }

  const auto doc = nlohmann::json::parse(exchange.response->body, nullptr, false);
  if (doc.is_object()) {
    result.sarif_id = scrub_secret(json_string_or_number(doc, "id"), config_.token);
    result.url = scrub_secret(json_string_or_number(doc, "url"), config_.token);
  }
  if (result.sarif_id.empty()) {
    result.message = fmt::format(
        "GitHub accepted the upload (HTTP {}) but the response has no SARIF id: {}",
        exchange.response->status,
        scrub_secret(server_detail(exchange.response->body), config_.token));
    return result;
  }
  result.outcome = Outcome::Ok;
  return result;
}

ProcessingResult CodeScanningClient::wait_for_processing(const std::string& sarif_id) {
  ProcessingResult result;
  if (!is_safe_path_segment(sarif_id)) {
    result.outcome = Outcome::InvalidInput;
    result.message = fmt::format("invalid SARIF id '{}'", scrub_secret(sarif_id, config_.token));
    return result;
  }
  const std::string url = fmt::format("{}/repos/{}/code-scanning/sarifs/{}", config_.api_url,
                                      config_.repository, sarif_id);
  const PollPolicy& poll = tuning_.poll;
  const auto start = std::chrono::steady_clock::now();
  milliseconds waited{0};  // what pause() was asked for; bounds the loop even with a fake clock
  milliseconds interval = std::max(poll.initial_interval, milliseconds(1));
  int not_found = 0;

  for (;;) {
    const auto real = std::chrono::duration_cast<milliseconds>(std::chrono::steady_clock::now() -
                                                               start);
    const milliseconds elapsed = std::max(real, waited);
    if (elapsed >= poll.timeout) {
      result.outcome = Outcome::Failed;
      result.processing_status = "pending";
      result.message = fmt::format(
          "SARIF {} was uploaded but is still being processed after {}; check {} later",
          sarif_id, format_duration(poll.timeout), url);
      return result;
    }
    const milliseconds delay = std::min(interval, poll.timeout - elapsed);
    pause(delay);
    waited += delay;

    const Exchange exchange = send_with_retries(make_request("GET", url));
    if (exchange.response && exchange.response->status == 404 &&
        ++not_found <= poll.max_not_found) {
      notice(NoticeLevel::Debug, fmt::format("SARIF {} not visible yet (HTTP 404)", sarif_id));
    } else if (!exchange.response || exchange.response->status < 200 ||
               exchange.response->status >= 300) {
      result.outcome = Outcome::Failed;
      result.message =
          exchange.response && exchange.response->status == 404
              ? fmt::format("cannot check processing status: SARIF {} not found in {} (HTTP 404)",
                            sarif_id, config_.repository)
              : describe_failure(exchange, "check processing status");
      return result;
    } else {
      not_found = 0;
      const auto doc = nlohmann::json::parse(exchange.response->body, nullptr, false);
      const std::string status = doc.is_object() ? json_string_or_number(doc, "processing_status")
                                                 : std::string();
      if (status.empty()) {
        result.outcome = Outcome::Failed;
        result.message = fmt::format(
            "cannot check processing status: response has no processing_status: {}",
            scrub_secret(server_detail(exchange.response->body), config_.token));
        return result;
      }
      result.processing_status = scrub_secret(status, config_.token);
      if (status == "complete") {
        result.outcome = Outcome::Ok;
        result.analyses_url = scrub_secret(json_string_or_number(doc, "analyses_url"),
                                           config_.token);
        return result;
      }
      if (status == "failed") {
        result.outcome = Outcome::Failed;
        if (const auto errs = doc.find("errors"); errs != doc.end() && errs->is_array()) {
          for (const auto& e : *errs) {
            result.errors.push_back(
                scrub_secret(e.is_string() ? e.get<std::string>() : e.dump(), config_.token));
          }
        }
        result.message = fmt::format("GitHub failed to process SARIF {}", sarif_id);
        return result;
      }
      notice(NoticeLevel::Info, fmt::format("SARIF {}: processing_status {}", sarif_id, status));
    }
    // Clamped in floating point first, so a large interval or factor cannot overflow the cast.
    const double grown = std::min(static_cast<double>(interval.count()) * std::max(1.0, poll.growth),
                                  static_cast<double>(poll.max_interval.count()));
    interval = std::max(milliseconds(1), milliseconds(static_cast<int64_t>(grown)));
  }
}

}  // namespace gapmap::upload
