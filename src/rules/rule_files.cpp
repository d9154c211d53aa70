#include "rules/rule_files.h"

#include <fmt/format.h>

#include <fstream>
#include <sstream>

#include "rules/embedded.h"

namespace gapmap::rules {

RuleFiles RuleFiles::embedded() {
  RuleFiles r;
  for (const auto& f : embedded_files()) {
    r.files_[std::string(f.path)] = std::string(f.content);
    r.origins_[std::string(f.path)] = "rules/" + std::string(f.path);
  }
  return r;
}

void RuleFiles::overlay(const std::filesystem::path& dir) {
  std::error_code ec;
  if (!std::filesystem::is_directory(dir, ec))
    throw RuleError(fmt::format("{}: --rules expects a directory of rule packs (like gapmap's rules/)", dir.string()));
  for (auto it = std::filesystem::recursive_directory_iterator(dir, ec);
       !ec && it != std::filesystem::recursive_directory_iterator(); it.increment(ec)) {
    if (!it->is_regular_file(ec)) continue;
    auto ext = it->path().extension();
    if (ext != ".json" && ext != ".scm") continue;
    std::ifstream in(it->path(), std::ios::binary);
    if (!in) throw RuleError(fmt::format("{}: cannot read rule pack", it->path().string()));
    std::ostringstream ss;
    ss << in.rdbuf();
    auto rel = std::filesystem::relative(it->path(), dir).generic_string();
    files_[rel] = ss.str();
    origins_[rel] = it->path().string();
  }
  if (ec) throw RuleError(fmt::format("{}: cannot read: {}", dir.string(), ec.message()));
}

const std::string* RuleFiles::find(const std::string& relative) const {
  auto it = files_.find(relative);
  return it == files_.end() ? nullptr : &it->second;
}

std::string RuleFiles::origin(const std::string& relative) const {
  auto it = origins_.find(relative);
  return it == origins_.end() ? relative : it->second;
}

std::pair<size_t, size_t> line_column_of(const std::string& text, size_t offset) {
  size_t line = 1, col = 1;
  for (size_t i = 0; i < offset && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++line;
      col = 1;
    } else {
      ++col;
    }
  }
  return {line, col};
}

nlohmann::json RuleFiles::parse_json(const std::string& relative) const {
  const std::string* text = find(relative);
  if (!text) throw RuleError(fmt::format("{}: rule pack not found", relative));
  try {
    return nlohmann::json::parse(*text, nullptr, true, /*ignore_comments=*/true);
  } catch (const nlohmann::json::parse_error& e) {
    auto [line, col] = line_column_of(*text, e.byte > 0 ? e.byte - 1 : 0);
    std::string what = e.what();
    auto pos = what.find("parse error");
    throw RuleError(fmt::format("{}:{}:{}: invalid JSON ({}); fix the pack or remove it from --rules",
                                origin(relative), line, col, pos == std::string::npos ? what : what.substr(pos)));
  }
}

}  // namespace gapmap::rules
