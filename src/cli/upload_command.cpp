// `gapmap upload`: send a SARIF file to GitHub code scanning (src/upload does the work; this file
// maps flags and environment to it and turns its results into output and exit codes).
#include <charconv>
#include <chrono>
#include <cstdio>
#include <exception>
#include <memory>
#include <optional>
#include <string>

#include <fmt/format.h>

#include "cli/command.h"
#include "upload/code_scanning.h"
#include "upload/config.h"
#include "upload/sarif_file.h"

namespace gapmap::cli {
namespace {

namespace up = gapmap::upload;

// A day: beyond any real processing time, and keeps the seconds-to-milliseconds conversion exact.
constexpr double kMaxWaitSeconds = 86'400;

// Option storage outlives add_upload_command: CLI11 writes into it during parsing and run()
// reads it afterwards, so the lambda shares ownership.
struct UploadCliState {
  std::string sarif, repo, ref, commit, api_url, checkout_uri;
  std::string token_env = std::string(up::kDefaultTokenEnv);
  bool wait = false;
  bool verbose = false;
  double wait_timeout_s = 300;
  CLI::Option* sarif_opt = nullptr;
  CLI::Option* repo_opt = nullptr;
  CLI::Option* ref_opt = nullptr;
  CLI::Option* commit_opt = nullptr;
  CLI::Option* api_url_opt = nullptr;
  CLI::Option* checkout_opt = nullptr;
};

std::optional<std::string> given(const CLI::Option* opt, const std::string& value) {
  if (opt != nullptr && opt->count() > 0) return value;
  return std::nullopt;
}

void print_error(const std::string& message) {
  fmt::print(stderr, "gapmap upload: error: {}\n", message);
}

// Test hooks: GAPMAP_UPLOAD_POLL_MS (first --wait poll interval) and GAPMAP_UPLOAD_RETRY_MS
// (first retry backoff) shrink the production timings so the end-to-end tests finish quickly.
// Retry-After from the server is still honoured.
bool apply_timing_hook(const up::EnvLookup& env, const char* name,
                       std::chrono::milliseconds& target) {
  const auto value = env(name);
  if (!value || value->empty()) return true;
  long long ms = 0;
  const auto [ptr, ec] = std::from_chars(value->data(), value->data() + value->size(), ms);
  if (ec != std::errc() || ptr != value->data() + value->size() || ms < 0) {
    print_error(fmt::format("{} must be a number of milliseconds, got '{}'", name, *value));
    return false;
  }
  target = std::chrono::milliseconds(ms);
  return true;
}

int exit_code(up::Outcome outcome) {
  switch (outcome) {
    case up::Outcome::Ok:
      return kExitOk;
    case up::Outcome::Failed:
      return kExitGateFailed;
    case up::Outcome::InvalidInput:
      return kExitUsage;
  }
  return kExitUsage;
}

int run_upload(const UploadCliState& s) {
  const up::EnvLookup env = up::process_environment();
  up::UploadArgs args;
  args.sarif_path = given(s.sarif_opt, s.sarif);
  args.repository = given(s.repo_opt, s.repo);
  args.ref = given(s.ref_opt, s.ref);
  args.commit_sha = given(s.commit_opt, s.commit);
  args.api_url = given(s.api_url_opt, s.api_url);
  args.checkout_uri = given(s.checkout_opt, s.checkout_uri);
  args.token_env = s.token_env;

  const up::ConfigResult resolved = up::resolve_config(args, env);
  if (!resolved.config) {
    for (const auto& e : resolved.errors) print_error(e);
    return kExitUsage;
  }
  const up::UploadConfig& config = *resolved.config;

  up::ClientTuning tuning;
  if (!(s.wait_timeout_s > 0 && s.wait_timeout_s <= kMaxWaitSeconds)) {
    print_error(fmt::format("--wait-timeout must be more than 0 and at most {} seconds",
                            kMaxWaitSeconds));
    return kExitUsage;
  }
  tuning.poll.timeout = std::chrono::milliseconds(static_cast<long long>(s.wait_timeout_s * 1000));
  if (!apply_timing_hook(env, "GAPMAP_UPLOAD_POLL_MS", tuning.poll.initial_interval) ||
      !apply_timing_hook(env, "GAPMAP_UPLOAD_RETRY_MS", tuning.retry.initial_backoff)) {
    return kExitUsage;
  }

  const up::SarifResult prepared = up::prepare_sarif(config.sarif_path);
  if (!prepared.sarif) {
    print_error(prepared.error);
    return kExitUsage;
  }

  const bool verbose = s.verbose;
  up::NoticeSink notify = [verbose](up::NoticeLevel level, const std::string& message) {
    switch (level) {
      case up::NoticeLevel::Warning:
        fmt::print(stderr, "gapmap upload: warning: {}\n", message);
        break;
      case up::NoticeLevel::Info:
        fmt::print(stderr, "gapmap upload: {}\n", message);
        break;
      case up::NoticeLevel::Debug:
        if (verbose) fmt::print(stderr, "gapmap upload: {}\n", message);
        break;
    }
  };

  up::CodeScanningClient client(config, tuning, notify);
  const up::SubmitResult submitted = client.submit(*prepared.sarif);
  if (submitted.outcome != up::Outcome::Ok) {
    print_error(submitted.message);
    return exit_code(submitted.outcome);
  }
  fmt::print("{}\n", submitted.sarif_id);
  std::fflush(stdout);  // the id is useful even if a long --wait is interrupted
  notify(up::NoticeLevel::Debug, fmt::format("uploaded {} to {} ({}, {}); status at {}",
                                             config.sarif_path, config.repository, config.ref,
                                             config.commit_sha, submitted.url));
  if (!s.wait) return kExitOk;

  const up::ProcessingResult processed = client.wait_for_processing(submitted.sarif_id);
  if (processed.outcome == up::Outcome::Ok) {
    fmt::print(stderr, "gapmap upload: SARIF {} processed: {}\n", submitted.sarif_id,
               processed.processing_status);
    return kExitOk;
  }
  print_error(processed.message);
  for (const auto& e : processed.errors) fmt::print(stderr, "  - {}\n", e);
  // The id came from the server, so even an id the library refuses is not a usage error.
  return kExitGateFailed;
}

}  // namespace

Command add_upload_command(CLI::App& root) {
  auto state = std::make_shared<UploadCliState>();
  CLI::App* app = root.add_subcommand(
      "upload", "Upload a SARIF file to GitHub code scanning (token from $GITHUB_TOKEN)");
  state->sarif_opt =
      app->add_option("--sarif", state->sarif, "SARIF 2.1.0 file to upload (required)");
  state->repo_opt = app->add_option("--repo", state->repo,
                                    "Repository as OWNER/NAME (default: $GITHUB_REPOSITORY)");
  state->ref_opt = app->add_option(
      "--ref", state->ref,
      "refs/heads/BRANCH, refs/tags/TAG or refs/pull/N/merge|head (default: $GITHUB_REF)");
  state->commit_opt =
      app->add_option("--commit", state->commit, "Full 40-hex commit SHA (default: $GITHUB_SHA)");
  state->api_url_opt = app->add_option(
      "--api-url", state->api_url,
      "API base URL (default: $GITHUB_API_URL or https://api.github.com; GitHub Enterprise "
      "Server: https://HOST/api/v3)");
  state->checkout_opt = app->add_option(
      "--checkout-uri", state->checkout_uri,
      "URI of the checkout root the SARIF paths are relative to (e.g. file:///src/octo-repo)");
  app->add_flag("--wait", state->wait,
                "Wait until GitHub has processed the upload; exit 1 if processing fails");
  app->add_option("--wait-timeout", state->wait_timeout_s,
                  "Give up waiting after this many seconds (default 300)");
  app->add_option("--token-env", state->token_env,
                  "Environment variable holding the token (default GITHUB_TOKEN)");
  app->add_flag("-v,--verbose", state->verbose, "Show each request and response status");

  Command command;
  command.app = app;
  command.run = [state]() -> int {
    try {
      return run_upload(*state);
    } catch (const std::exception& e) {
      // Library failures that are not about the server (curl or zlib initialisation, memory).
      print_error(e.what());
      return kExitUsage;
    }
  };
  return command;
}

}  // namespace gapmap::cli
