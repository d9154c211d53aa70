#pragma once
// What a check sees for one call site, and the searches every check shares: the call's result
// and where it flows, handlers around it, and the paths from the project's entry points to it.
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/report_model.h"
#include "detect/call_detector.h"
#include "index/call_graph.h"
#include "rules/knowledge.h"

namespace gapmap::checks {

// Project-wide evidence gathered once (tracing set up at start-up, router configuration).
struct ProjectFacts {
  std::vector<Evidence> tracing;            // SDK instrumentation at start-up: every call
  std::vector<Evidence> langchain_tracing;  // LANGSMITH_TRACING=true and friends: LangChain calls
  std::vector<Evidence> span_export;        // a span exporter set up (tracing-opentelemetry): spans are traces
  // By file: the platform deadline (a route's `export const maxDuration`, vercel.json functions)
  // that ends every request handler reaching that file's code; nothing when some path has none.
  std::vector<std::optional<Evidence>> platform_deadline;
  // The provider of the one model starter the build files depend on (spring-ai-starter-model-openai).
  std::optional<std::string> build_provider;
  std::vector<Evidence> review;   // human-in-the-loop steps (interrupt, approval queues)
  // Keys of a LiteLLM proxy config (fallbacks, cooldowns, timeouts), for sites that call the proxy.
  std::map<std::string, Evidence> router;  // "fallback" | "breaker" | "timeout" -> where
};

// One place on a path to the call: the call itself, or a call of a function that wraps it.
struct Frame {
  uint32_t file = 0;
  uint32_t call = 0;  // index into the file's calls
};

struct CheckInput {
  const detect::DetectedCall& site;
  const std::vector<detect::DetectedCall>& all_sites;
  const index::ProjectIndex& index;
  const index::Resolver& resolver;
  const index::CallGraph& graph;
  const rules::Knowledge& knowledge;
  const ProjectFacts& facts;

  const FileSummary& file() const { return index.file(site.file); }
  const Call& call() const { return file().calls[site.call]; }
  index::Scope scope() const { return {site.file, call().function, call().class_name, call().range.start_byte}; }
};

using FramePredicate = std::function<std::optional<Evidence>(const Frame&)>;

// True with evidence when `at` holds at the call itself, or at every in-project path through
// the callers of the function that wraps it (SPEC §3), up to `max_depth` wrappers.
std::optional<std::vector<Evidence>> on_every_path(const CheckInput& in, const FramePredicate& at, int max_depth = 3);

// How many callers the wrapping function has (for "no handler around the call or its N callers").
size_t caller_count(const CheckInput& in);

// Names that hold the call's result (r = call(), with call() as s, for chunk in call()).
struct ResultNames {
  std::vector<std::string> values;  // the response object
  std::vector<std::string> chunks;  // stream chunks / events
};
// The fallback a decorator or annotation declares for the frame's function
// (@CircuitBreaker(fallbackMethod = "cached")), when it names a function of the project.
std::optional<index::FunctionRef> declared_fallback(const CheckInput& in, const Frame& frame);
// `wrappers`: calls whose result is the call's when it is their argument (timeout(d, call)).
ResultNames result_names(const FileSummary& f, const Call& call, const std::vector<std::string>& wrappers = {});

// Sites whose call lies in `range` of file `file`, or in a project function called from there.
std::vector<const detect::DetectedCall*> sites_reached(const CheckInput& in, uint32_t file, const SourceRange& range,
                                                       int depth = 2);

std::string location(const FileSummary& f, uint32_t line);
std::string last_segment(std::string_view path);
std::string root_segment(std::string_view path);
bool range_contains(const SourceRange& outer, const SourceRange& inner);
// The enclosing named function's range, or the whole file for module-level code.
SourceRange scope_range(const FileSummary& f, uint32_t function);
// Is this call only reporting (print/log/console)?
bool is_logging_call(const CheckInput& in, const Call& c);

}  // namespace gapmap::checks
