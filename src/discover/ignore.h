#pragma once
// .gitignore / .gapmapignore rules: nested files, negation, anchoring, directory-only patterns.
#include <string>
#include <string_view>
#include <vector>

namespace gapmap::discover {

struct IgnoreRule {
  std::string base;     // directory of the ignore file, relative to the scan root ("" = root)
  std::string pattern;  // glob relative to base
  bool negate = false;
  bool dir_only = false;
  bool anchored = false;  // contained a '/': match from base, not at any depth
};

class IgnoreRules {
 public:
  // Adds the rules of one ignore file found in directory `base`.
  void add_file(std::string_view base, std::string_view content);
  // Last matching rule wins, as in git. `path` is relative to the scan root.
  bool ignored(std::string_view path, bool is_dir) const;
  bool empty() const { return rules_.empty(); }

 private:
  std::vector<IgnoreRule> rules_;
};

}  // namespace gapmap::discover
