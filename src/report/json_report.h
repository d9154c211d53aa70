#pragma once
// SPEC §6 JSON ("gapmap/report@1"): deterministic key order and bytes.
#include <nlohmann/json.hpp>
#include <string>

#include "core/report_model.h"

namespace gapmap::report {

nlohmann::ordered_json to_json(const Report& report);
std::string render_json(const Report& report);

}  // namespace gapmap::report
