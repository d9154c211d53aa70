#pragma once
// What the checks know about libraries (rules/knowledge/*.json): named lists of strings such as
// "completion.finish_fields" or "resilience.breaker_modules". Adding a library is a data change.
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "rules/rule_files.h"

namespace gapmap::rules {

class Knowledge {
 public:
  // Throws RuleError naming the file when a section is not an array of strings.
  static Knowledge load(const RuleFiles& files);

  // The list "<file>.<section>"; empty when absent.
  const std::vector<std::string>& list(std::string_view name) const;
  bool contains(std::string_view name, std::string_view value) const;

 private:
  std::map<std::string, std::vector<std::string>, std::less<>> lists_;
};

}  // namespace gapmap::rules
