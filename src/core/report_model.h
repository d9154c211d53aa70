#pragma once
// What a scan produces: call sites with their verdicts, findings, errors. Reports (src/report)
// render this; they never look at summaries or syntax trees.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace gapmap {

struct Evidence {
  std::string file;
  uint32_t line = 0;
  std::string note;
};

enum class CheckStatus : uint8_t { Pass, Fail, NotApplicable };

struct CheckResult {
  CheckStatus status = CheckStatus::NotApplicable;
  std::vector<Evidence> evidence;
};

struct CallSite {
  std::string id;  // stable: hash of file, function, normalised call text, ordinal
  std::string file;
  uint32_t line = 0, column = 0, end_line = 0, end_column = 0;
  std::optional<uint32_t> cell, cell_line;  // notebooks only
  std::string language;
  std::string provider = "unknown";
  std::string via = "sdk";
  std::string api = "chat";
  std::string kind = "request";
  bool streaming = false;
  std::optional<std::string> model;
  std::string function = "<module>";
  std::string confidence = "high";
  std::string tier = "standard";
  std::optional<int> score;
  std::string sdk_method;  // the callee as written, for messages and the table
  // Every provider the receiver may resolve to (a factory with one branch per provider), when
  // more than one; `provider` is the first.
  std::vector<std::string> possible_providers;
  bool partial = false;  // resolution was cut short (width, budget): reported, not dropped
  std::map<std::string, CheckResult> checks;  // key = check key ("fallback", ...)
};

enum class Level : uint8_t { None, Note, Warning, Error };

struct Finding {
  std::string rule;   // "GAP002"
  std::string check;  // "completion_check"
  Level level = Level::None;
  std::string file;
  uint32_t line = 0, column = 0, end_line = 0, end_column = 0;
  std::string message;
  std::string call_site;  // CallSite::id, empty for project-level findings
  std::string fingerprint;
  bool suppressed = false;
  std::string suppression_reason;
  bool baseline = false;
  std::vector<Evidence> related;
};

struct ScanError {
  std::string file;
  std::optional<uint32_t> line;
  std::string message;
};

struct Report {
  std::string tool_version;
  uint64_t files_scanned = 0;
  uint64_t generated_skipped = 0;    // minified, bundled or self-declared generated files left out
  uint64_t partially_resolved = 0;   // call sites whose receiver resolution was cut short
  std::optional<int> score;
  std::vector<CallSite> call_sites;  // sorted by file, line, column
  std::vector<Finding> findings;     // sorted by file, line, rule
  std::vector<ScanError> errors;     // sorted by file, line
};

std::string_view to_string(CheckStatus status);
std::string_view to_string(Level level);

}  // namespace gapmap
