#include "core/report_model.h"

namespace gapmap {

std::string_view to_string(CheckStatus status) {
  switch (status) {
    case CheckStatus::Pass: return "pass";
    case CheckStatus::Fail: return "fail";
    case CheckStatus::NotApplicable: return "n/a";
  }
  return "n/a";
}

std::string_view to_string(Level level) {
  switch (level) {
    case Level::Error: return "error";
    case Level::Warning: return "warning";
    case Level::Note: return "note";
    case Level::None: return "none";
  }
  return "none";
}

}  // namespace gapmap
