#pragma once
// FileSummary <-> JSON: the serialised form behind the cache and shard merging, and what
// `gapmap debug summary` shows rule authors.
#include <nlohmann/json.hpp>

#include "core/summary.h"

namespace gapmap {

nlohmann::ordered_json summary_to_json(const FileSummary& summary);

}  // namespace gapmap
