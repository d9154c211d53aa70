#pragma once
// The terminal table: call sites grouped by file, then a provider summary.
#include <string>

#include "core/report_model.h"

namespace gapmap::report {

struct TableStyle {
  bool color = false;
};

std::string render_table(const Report& report, const TableStyle& style);

}  // namespace gapmap::report
