#pragma once
// Who calls whom inside the project, by resolved names (SPEC §3: a check passes at a wrapper's
// callers). A function handed over by reference (`CircuitBreaker(ask)`, `pRetry(() => ask())`,
// `breaker.call(ask)`) counts as called by the call it is handed to.
#include <map>
#include <vector>

#include "index/resolver.h"

namespace gapmap::index {

struct CallRef {
  uint32_t file = 0;
  uint32_t call = 0;           // index into the file's calls
  bool by_reference = false;   // the function was passed, not called, here
};

class CallGraph {
 public:
  // Resolves every call that may name a project function, in file and call order (the order the
  // shared Resolver's memo depends on; see resolver.h).
  CallGraph(const ProjectIndex& index, const Resolver& resolver);

  const std::vector<CallRef>& callers(FunctionRef fn) const;

  // The innermost named function around a call (anonymous callbacks are looked through).
  static uint32_t named_function(const FileSummary& f, uint32_t function);

 private:
  std::map<std::pair<uint32_t, uint32_t>, std::vector<CallRef>> callers_;
};

}  // namespace gapmap::index
