#include "upload/config.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>

#include <fmt/format.h>

namespace gapmap::upload {
namespace {

// Values are echoed in messages; a pasted blob should not flood the terminal.
std::string shown(std::string_view value) {
  constexpr std::size_t kMax = 80;
  if (value.size() <= kMax) return std::string(value);
  return std::string(value.substr(0, kMax)) + "...";
}

std::string trim_space(std::string_view s) {
  const auto first = s.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return {};
  const auto last = s.find_last_not_of(" \t\r\n");
  return std::string(s.substr(first, last - first + 1));
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_hex(char c) { return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }
bool is_alnum(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; }

bool starts_with_icase(std::string_view s, std::string_view prefix) {
  if (s.size() < prefix.size()) return false;
  return std::equal(prefix.begin(), prefix.end(), s.begin(), [](char a, char b) {
    return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b));
  });
}

// The parts of git-check-ref-format(1) that a branch or tag name can violate.
bool is_valid_ref_name(std::string_view name) {
  if (name.empty() || name.front() == '/' || name.back() == '/' || name.back() == '.') return false;
  if (name.ends_with(".lock") || name == "@") return false;
  if (name.find("..") != std::string_view::npos || name.find("//") != std::string_view::npos ||
      name.find("@{") != std::string_view::npos || name.find("/.") != std::string_view::npos ||
      name.front() == '.') {
    return false;
  }
  return std::none_of(name.begin(), name.end(), [](char c) {
    const auto u = static_cast<unsigned char>(c);
    return u < 0x20 || u == 0x7f || c == ' ' || c == '~' || c == '^' || c == ':' || c == '?' ||
           c == '*' || c == '[' || c == '\\';
  });
}

}  // namespace

EnvLookup process_environment() {
  return [](const std::string& name) -> std::optional<std::string> {
    const char* value = std::getenv(name.c_str());
    if (value == nullptr) return std::nullopt;
    return std::string(value);
  };
}

std::optional<std::string> validate_ref(std::string_view ref) {
  const auto invalid = [&](std::string_view why) {
    std::string msg = fmt::format(
        "invalid ref '{}': {}; expected refs/heads/BRANCH, refs/tags/TAG, refs/pull/NUMBER/merge "
        "or refs/pull/NUMBER/head",
        shown(ref), why);
    if (!ref.starts_with("refs/") && is_valid_ref_name(ref)) {
      msg += fmt::format(" (for a branch, did you mean refs/heads/{}?)", shown(ref));
    }
    return msg;
  };
  if (ref.empty()) return invalid("it is empty");
  for (const std::string_view prefix : {"refs/heads/", "refs/tags/"}) {
    if (ref.starts_with(prefix)) {
      if (!is_valid_ref_name(ref.substr(prefix.size()))) return invalid("not a valid git ref name");
      return std::nullopt;
    }
  }
  if (ref.starts_with("refs/pull/")) {
    const std::string_view rest = ref.substr(std::string_view("refs/pull/").size());
    const auto slash = rest.find('/');
    const std::string_view number = rest.substr(0, slash);
    const std::string_view kind = slash == std::string_view::npos ? "" : rest.substr(slash + 1);
    if (number.empty() || !std::all_of(number.begin(), number.end(), is_digit) ||
        (kind != "merge" && kind != "head")) {
      return invalid("malformed pull request ref");
    }
    return std::nullopt;
  }
  return invalid("unsupported ref namespace");
}

std::optional<std::string> validate_commit_sha(std::string_view sha) {
  if (sha.size() == 40 && std::all_of(sha.begin(), sha.end(), is_hex)) return std::nullopt;
  return fmt::format(
      "invalid commit SHA '{}': expected the full 40-character hexadecimal SHA-1 (not an "
      "abbreviation or a branch name)",
      shown(sha));
}

std::optional<std::string> validate_repository(std::string_view repository) {
  const auto slash = repository.find('/');
  const auto part_ok = [](std::string_view part) {
    return !part.empty() && part != "." && part != ".." &&
           std::all_of(part.begin(), part.end(),
                       [](char c) { return is_alnum(c) || c == '-' || c == '_' || c == '.'; });
  };
  if (slash != std::string_view::npos && part_ok(repository.substr(0, slash)) &&
      part_ok(repository.substr(slash + 1))) {
    return std::nullopt;
  }
  return fmt::format("invalid repository '{}': expected OWNER/NAME, e.g. octo-org/octo-repo",
                     shown(repository));
}

std::optional<std::string> validate_api_url(std::string_view url) {
  std::string_view rest;
  if (starts_with_icase(url, "https://")) {
    rest = url.substr(8);
  } else if (starts_with_icase(url, "http://")) {
    rest = url.substr(7);
  } else {
    return fmt::format(
        "invalid API URL '{}': expected https://api.github.com or, for GitHub Enterprise Server, "
        "https://HOST/api/v3",
        shown(url));
  }
  const std::string_view host = rest.substr(0, rest.find('/'));
  const bool bad_char = std::any_of(url.begin(), url.end(), [](char c) {
    const auto u = static_cast<unsigned char>(c);
    return u <= 0x20 || u == 0x7f || c == '?' || c == '#';
  });
  if (host.empty() || bad_char || host.find('@') != std::string_view::npos) {
    return fmt::format("invalid API URL '{}': expected SCHEME://HOST[/PATH] with no credentials, "
                       "query or fragment",
                       shown(url));
  }
  return std::nullopt;
}

std::optional<std::string> validate_env_name(std::string_view name) {
  const bool ok = !name.empty() && !is_digit(name.front()) &&
                  std::all_of(name.begin(), name.end(), [](char c) { return is_alnum(c) || c == '_'; });
  if (ok) return std::nullopt;
  return fmt::format("invalid --token-env '{}': expected an environment variable name",
                     shown(name));
}

std::string normalize_api_url(std::string_view url) {
  while (url.ends_with('/')) url.remove_suffix(1);
  return std::string(url);
}

bool is_plain_http(std::string_view url) { return starts_with_icase(url, "http://"); }

std::vector<std::string> validate_config(const UploadConfig& config) {
  std::vector<std::string> errors;
  for (const auto& error : {validate_api_url(config.api_url), validate_repository(config.repository),
                            validate_ref(config.ref), validate_commit_sha(config.commit_sha)}) {
    if (error) errors.push_back(*error);
  }
  if (config.checkout_uri && config.checkout_uri->empty()) {
    errors.emplace_back("--checkout-uri is empty");
  }
  if (config.token.empty()) {
    errors.push_back(fmt::format("no token: environment variable {} is not set or empty",
                                 config.token_env));
  }
  return errors;
}

ConfigResult resolve_config(const UploadArgs& args, const EnvLookup& env) {
  ConfigResult result;
  const auto from_env = [&](const char* name) -> std::optional<std::string> {
    auto value = env(name);
    if (value && value->empty()) return std::nullopt;  // Actions leaves some variables empty
    return value;
  };

  UploadConfig config;
  if (args.sarif_path && !args.sarif_path->empty()) {
    config.sarif_path = *args.sarif_path;
  } else {
    result.errors.emplace_back("missing --sarif FILE");
  }

  const auto pick = [&](const std::optional<std::string>& flag, const char* env_name,
                        std::string_view what, std::string& out) {
    if (flag) {
      out = *flag;
    } else if (auto value = from_env(env_name)) {
      out = *value;
    } else {
      result.errors.push_back(fmt::format("missing {} (or set {})", what, env_name));
      return false;
    }
    return true;
  };
  std::vector<std::string> problems;
  if (pick(args.repository, "GITHUB_REPOSITORY", "--repo OWNER/NAME", config.repository)) {
    if (auto e = validate_repository(config.repository)) problems.push_back(*e);
  }
  if (pick(args.ref, "GITHUB_REF", "--ref REF", config.ref)) {
    if (auto e = validate_ref(config.ref)) problems.push_back(*e);
  }
  if (pick(args.commit_sha, "GITHUB_SHA", "--commit SHA", config.commit_sha)) {
    if (auto e = validate_commit_sha(config.commit_sha)) problems.push_back(*e);
  }
  if (args.api_url) {
    config.api_url = *args.api_url;
  } else if (auto value = from_env("GITHUB_API_URL")) {
    config.api_url = *value;
  }
  if (auto e = validate_api_url(config.api_url)) problems.push_back(*e);
  config.api_url = normalize_api_url(config.api_url);
  config.checkout_uri = args.checkout_uri;
  if (config.checkout_uri && config.checkout_uri->empty()) {
    problems.emplace_back("--checkout-uri is empty");
  }

  config.token_env = args.token_env;
  if (auto e = validate_env_name(args.token_env)) {
    problems.push_back(*e);
  } else if (auto token = from_env(args.token_env.c_str())) {
    // Secrets pasted with a trailing newline are common; inner whitespace or control characters
    // would corrupt (or inject into) the Authorization header, so they are refused.
    const std::string trimmed = trim_space(*token);
    if (trimmed.empty() || std::any_of(trimmed.begin(), trimmed.end(), [](char c) {
          const auto u = static_cast<unsigned char>(c);
          return u <= 0x20 || u == 0x7f;
        })) {
      problems.push_back(fmt::format(
          "environment variable {} does not hold a usable token (it is blank or contains "
          "whitespace or control characters)",
          args.token_env));
    } else {
      config.token = trimmed;
    }
  } else {
    problems.push_back(fmt::format(
        "no token: environment variable {} is not set or empty (it must hold a token with the "
        "security_events scope or security-events: write permission{})",
        args.token_env, args.token_env == kDefaultTokenEnv ? "; --token-env NAME reads another variable" : ""));
  }

  result.errors.insert(result.errors.end(), problems.begin(), problems.end());
  if (result.errors.empty()) result.config = std::move(config);
  return result;
}

}  // namespace gapmap::upload
