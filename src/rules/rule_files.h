#pragma once
// The rule packs as text: the embedded ones, overlaid by a user's --rules DIR (same relative path
// replaces, a new path adds). Everything under rules/ reads through this.
#include <filesystem>
#include <map>
#include <stdexcept>
#include <string>

#include <nlohmann/json.hpp>

namespace gapmap::rules {

class RuleError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class RuleFiles {
 public:
  static RuleFiles embedded();
  // Adds or replaces packs from DIR; throws RuleError when DIR is unreadable.
  void overlay(const std::filesystem::path& dir);

  const std::map<std::string, std::string>& files() const { return files_; }
  const std::string* find(const std::string& relative) const;
  // Origin shown in messages: "rules/sdks/python/openai.json" or the user's path.
  std::string origin(const std::string& relative) const;

  // Parses a JSON pack (comments allowed); a syntax error becomes RuleError "file:line:column: ...".
  nlohmann::json parse_json(const std::string& relative) const;

 private:
  std::map<std::string, std::string> files_;
  std::map<std::string, std::string> origins_;
};

// Line and column (1-based) of a byte offset, for error messages.
std::pair<size_t, size_t> line_column_of(const std::string& text, size_t offset);

}  // namespace gapmap::rules
