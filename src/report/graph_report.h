#pragma once
// The dependency map (provider -> model -> function -> call site) as a picture: Graphviz DOT,
// Mermaid (renders inline on GitHub), and an indented text tree for `gapmap map`.
#include <cstddef>
#include <string>
#include <vector>

#include "core/report_model.h"

namespace gapmap::report {

// "from falls back to to": read from passing `fallback` evidence whose note names another
// provider of the report. `sites` = how many call sites of `from` have that fallback.
struct FallbackEdge {
  std::string from, to;
  size_t sites = 0;
};

std::vector<FallbackEdge> fallback_edges(const Report& report);

std::string render_dot(const Report& report);
std::string render_mermaid(const Report& report);
std::string render_map_text(const Report& report);

}  // namespace gapmap::report
