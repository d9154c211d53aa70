#pragma once
// .gapmap.json (comments allowed), found upward from the scanned path (SPEC §4, §5).
#include <filesystem>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace gapmap::config {

class ConfigError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct TierRule {
  std::string glob;  // over root-relative paths
  std::string tier;
};

struct Config {
  std::string source;  // path it was read from, empty for defaults
  std::filesystem::path base_dir;  // tier globs are relative to the config file's directory
  std::string default_tier = "standard";
  std::vector<TierRule> tiers;        // first match wins
  std::map<std::string, int> weights;  // check key -> weight override
  std::vector<std::string> exclude;    // extra exclude globs

  // Tier of the first rule whose glob matches a root-relative path.
  std::optional<std::string> glob_tier(std::string_view path) const;
};

bool is_tier(std::string_view tier);

// Parses text; throws ConfigError "file:line:column: what is wrong; what to do".
Config parse_config(const std::string& text, const std::string& origin);
// `explicit_path` when given (--config), else .gapmap.json searched upward from `start`.
Config load_config(const std::optional<std::string>& explicit_path, const std::filesystem::path& start);

// The commented starter file `gapmap init` writes.
std::string starter_config();

}  // namespace gapmap::config
