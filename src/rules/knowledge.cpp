#include "rules/knowledge.h"

#include <fmt/format.h>

#include <algorithm>

namespace gapmap::rules {

Knowledge Knowledge::load(const RuleFiles& files) {
  Knowledge k;
  for (const auto& [rel, text] : files.files()) {
    if (!rel.starts_with("knowledge/") || !rel.ends_with(".json")) continue;
    std::string stem = rel.substr(10, rel.size() - 15);
    auto doc = files.parse_json(rel);
    if (!doc.is_object()) throw RuleError(fmt::format("{}: expected an object of string lists", files.origin(rel)));
    for (const auto& [section, value] : doc.items()) {
      if (!value.is_array() || !std::all_of(value.begin(), value.end(), [](const auto& v) { return v.is_string(); }))
        throw RuleError(fmt::format("{}: \"{}\" must be an array of strings", files.origin(rel), section));
      auto& list = k.lists_[stem + "." + section];
      for (const auto& v : value) list.push_back(v.get<std::string>());
    }
  }
  return k;
}

const std::vector<std::string>& Knowledge::list(std::string_view name) const {
  static const std::vector<std::string> kEmpty;
  auto it = lists_.find(name);
  return it == lists_.end() ? kEmpty : it->second;
}

bool Knowledge::contains(std::string_view name, std::string_view value) const {
  const auto& l = list(name);
  return std::find(l.begin(), l.end(), value) != l.end();
}

}  // namespace gapmap::rules
