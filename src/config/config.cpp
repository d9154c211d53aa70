#include "config/config.h"

#include <fmt/format.h>

#include <array>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "discover/glob.h"
#include "rules/rule_files.h"

namespace gapmap::config {
namespace {

constexpr std::array kTiers{"critical", "regulated", "standard", "internal", "batch", "prototype"};
constexpr std::array kKeys{"fallback", "completion_check", "schema_validation", "circuit_breaker", "retry_safety",
                           "tracing", "timeout", "degradation", "provider_concentration", "human_review"};

// Where in the text a key's value starts, for messages about a value that parsed but is wrong.
std::string where(const std::string& text, const std::string& origin, const std::string& key) {
  auto pos = text.find("\"" + key + "\"");
  auto [line, col] = rules::line_column_of(text, pos == std::string::npos ? 0 : pos);
  return fmt::format("{}:{}:{}", origin, line, col);
}

}  // namespace

bool is_tier(std::string_view tier) {
  for (auto t : kTiers)
    if (tier == t) return true;
  return false;
}

std::optional<std::string> Config::glob_tier(std::string_view path) const {
  for (const auto& r : tiers) {
    bool hit = discover::glob_match(r.glob, path) || discover::glob_match(r.glob + "/**", path);
    if (!hit && r.glob.find('/') == std::string::npos) {
      auto slash = path.rfind('/');
      hit = discover::glob_match(r.glob, slash == std::string_view::npos ? path : path.substr(slash + 1));
    }
    if (hit) return r.tier;
  }
  return std::nullopt;
}

Config parse_config(const std::string& text, const std::string& origin) {
  // Ordered: tier globs are tried in the order the file lists them (first match wins).
  nlohmann::ordered_json doc;
  try {
    doc = nlohmann::ordered_json::parse(text, nullptr, true, true);
  } catch (const nlohmann::json::parse_error& e) {
    auto [line, col] = rules::line_column_of(text, e.byte > 0 ? e.byte - 1 : 0);
    throw ConfigError(fmt::format("{}:{}:{}: invalid JSON ({}); fix the file or run `gapmap init` for a starter",
                                  origin, line, col, std::string(e.what()).substr(std::string(e.what()).find(']') + 2)));
  }
  if (!doc.is_object()) throw ConfigError(fmt::format("{}:1:1: expected a JSON object", origin));
  Config c;
  c.source = origin;
  for (const auto& [key, value] : doc.items()) {
    if (key == "default_tier") {
      if (!value.is_string() || !is_tier(value.get<std::string>()))
        throw ConfigError(fmt::format("{}: \"default_tier\" must be one of critical, regulated, standard, internal, batch, prototype",
                                      where(text, origin, key)));
      c.default_tier = value.get<std::string>();
    } else if (key == "tiers" && value.is_array()) {
      // The list form: [{"path": "src/pay/**", "tier": "critical"}, ...]
      for (const auto& rule : value) {
        if (!rule.is_object() || !rule.contains("path") || !rule["path"].is_string() || !rule.contains("tier") ||
            !rule["tier"].is_string() || !is_tier(rule["tier"].get<std::string>()))
          throw ConfigError(fmt::format("{}: each entry of \"tiers\" must be {{\"path\": GLOB, \"tier\": TIER}} with TIER one of "
                                        "critical, regulated, standard, internal, batch, prototype",
                                        where(text, origin, key)));
        c.tiers.push_back({rule["path"].get<std::string>(), rule["tier"].get<std::string>()});
      }
    } else if (key == "tiers") {
      if (!value.is_object())
        throw ConfigError(fmt::format("{}: \"tiers\" must map path globs to tiers, e.g. {{\"src/payments/**\": \"critical\"}}",
                                      where(text, origin, key)));
      for (const auto& [glob, tier] : value.items()) {
        if (!tier.is_string() || !is_tier(tier.get<std::string>()))
          throw ConfigError(fmt::format("{}: tier for \"{}\" must be one of critical, regulated, standard, internal, batch, prototype",
                                        where(text, origin, glob), glob));
        c.tiers.push_back({glob, tier.get<std::string>()});
      }
    } else if (key == "weights") {
      if (!value.is_object()) throw ConfigError(fmt::format("{}: \"weights\" must map check keys to numbers", where(text, origin, key)));
      for (const auto& [check, w] : value.items()) {
        bool known = false;
        for (auto k : kKeys) known = known || check == k;
        if (!known) throw ConfigError(fmt::format("{}: unknown check \"{}\" in weights (see `gapmap rules`)", where(text, origin, check), check));
        if (!w.is_number_integer() || w.get<int>() < 0)
          throw ConfigError(fmt::format("{}: weight of \"{}\" must be a non-negative integer", where(text, origin, check), check));
        c.weights[check] = w.get<int>();
      }
    } else if (key == "exclude") {
      if (!value.is_array()) throw ConfigError(fmt::format("{}: \"exclude\" must be an array of globs", where(text, origin, key)));
      for (const auto& g : value) {
        if (!g.is_string()) throw ConfigError(fmt::format("{}: \"exclude\" must be an array of globs", where(text, origin, key)));
        c.exclude.push_back(g.get<std::string>());
      }
    } else if (key != "$schema") {
      throw ConfigError(fmt::format("{}: unknown key \"{}\" (expected default_tier, tiers, weights, exclude)", where(text, origin, key), key));
    }
  }
  return c;
}

Config load_config(const std::optional<std::string>& explicit_path, const std::filesystem::path& start) {
  auto read = [](const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    if (!in) throw ConfigError(fmt::format("{}: cannot read the configuration file", p.string()));
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
  };
  auto with_base = [](Config c, const std::filesystem::path& file) {
    std::error_code ec;
    c.base_dir = std::filesystem::absolute(file, ec).parent_path();
    return c;
  };
  if (explicit_path) return with_base(parse_config(read(*explicit_path), *explicit_path), *explicit_path);
  std::error_code ec;
  auto dir = std::filesystem::absolute(start, ec);
  if (!std::filesystem::is_directory(dir, ec)) dir = dir.parent_path();
  for (int i = 0; i < 64 && !dir.empty(); ++i) {
    auto candidate = dir / ".gapmap.json";
    if (std::filesystem::is_regular_file(candidate, ec)) {
      auto rel = std::filesystem::relative(candidate, std::filesystem::current_path(), ec);
      return with_base(parse_config(read(candidate), ec ? candidate.string() : rel.string()), candidate);
    }
    if (dir == dir.parent_path()) break;
    dir = dir.parent_path();
  }
  return Config{};
}

std::string starter_config() {
  return R"({
  // gapmap configuration (https://github.com/gapmap/gapmap). Comments are allowed.

  // Tier of every call site not matched below: critical, regulated, standard, internal, batch, prototype.
  "default_tier": "standard",

  // Path globs (relative to the scanned root) mapped to tiers; the first match wins.
  // A function can override with a comment `gapmap: tier=critical` inside it or on the line above.
  "tiers": {
    "src/checkout/**": "critical",
    "scripts/**": "batch",
    "notebooks/**": "prototype"
  },

  // Score weights per check (defaults shown).
  "weights": {
    "fallback": 25, "completion_check": 20, "schema_validation": 15, "retry_safety": 10,
    "circuit_breaker": 10, "tracing": 10, "timeout": 10, "degradation": 5
  },

  // Extra paths to skip, on top of .gitignore and .gapmapignore.
  "exclude": []
}
)";
}

}  // namespace gapmap::config
