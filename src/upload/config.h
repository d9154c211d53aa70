#pragma once
// What an upload needs to know, and where each piece comes from: command-line flags first, then
// the variables GitHub Actions sets in every job, so `gapmap upload --sarif FILE` is enough in CI.
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace gapmap::upload {

inline constexpr std::string_view kDefaultApiUrl = "https://api.github.com";
inline constexpr std::string_view kDefaultTokenEnv = "GITHUB_TOKEN";

// Reads one environment variable; nullopt when unset. Injected so that tests (and callers that
// are not a process's main) control what is seen.
using EnvLookup = std::function<std::optional<std::string>(const std::string& name)>;

// EnvLookup over the process environment.
EnvLookup process_environment();

// Values as given on the command line; nullopt = flag absent.
struct UploadArgs {
  std::optional<std::string> sarif_path;
  std::optional<std::string> repository;  // OWNER/NAME
  std::optional<std::string> ref;
  std::optional<std::string> commit_sha;
  std::optional<std::string> api_url;
  std::optional<std::string> checkout_uri;
  std::string token_env = std::string(kDefaultTokenEnv);
};

struct UploadConfig {
  std::string sarif_path;
  std::string api_url = std::string(kDefaultApiUrl);  // no trailing '/'
  std::string repository;
  std::string ref;
  std::string commit_sha;
  std::optional<std::string> checkout_uri;
  std::string token;  // secret: never put it in a message
  std::string token_env = std::string(kDefaultTokenEnv);  // where it came from, for messages
};

struct ConfigResult {
  std::optional<UploadConfig> config;
  std::vector<std::string> errors;  // every problem found, so one run reports them all
};

// Fills absent values from GITHUB_REPOSITORY, GITHUB_REF, GITHUB_SHA and GITHUB_API_URL, reads the
// token from args.token_env, and validates the result.
ConfigResult resolve_config(const UploadArgs& args, const EnvLookup& env);

// Each returns a message describing the problem, or nullopt when the value is acceptable.
std::optional<std::string> validate_ref(std::string_view ref);
std::optional<std::string> validate_commit_sha(std::string_view sha);
std::optional<std::string> validate_repository(std::string_view repository);
std::optional<std::string> validate_api_url(std::string_view url);
std::optional<std::string> validate_env_name(std::string_view name);
std::vector<std::string> validate_config(const UploadConfig& config);

// Drops trailing '/' so that endpoint paths can be appended verbatim.
std::string normalize_api_url(std::string_view url);
bool is_plain_http(std::string_view url);

}  // namespace gapmap::upload
