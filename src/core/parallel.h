#pragma once
// Runs work over [0, count) on `jobs` threads. Each worker builds its own state once (a parser, a
// Resolver with its memo) and then takes indices from a shared counter; results are written by
// index, so nothing a caller produces depends on which thread did what.
#include <algorithm>
#include <atomic>
#include <cstddef>
#include <thread>
#include <vector>

namespace gapmap {

inline unsigned worker_count(unsigned requested, size_t items) {
  unsigned jobs = requested ? requested : std::max(1u, std::thread::hardware_concurrency());
  return static_cast<unsigned>(std::min<size_t>(jobs, std::max<size_t>(1, items)));
}

// `make_state()` runs once per worker; `body(state, i)` once per index.
template <typename MakeState, typename Body>
void parallel_for(size_t count, unsigned jobs, MakeState&& make_state, Body&& body) {
  jobs = worker_count(jobs, count);
  std::atomic<size_t> next{0};
  auto worker = [&] {
    auto state = make_state();
    for (size_t i = next++; i < count; i = next++) body(state, i);
  };
  if (jobs <= 1) {
    worker();
    return;
  }
  std::vector<std::jthread> pool;
  pool.reserve(jobs);
  for (unsigned j = 0; j < jobs; ++j) pool.emplace_back(worker);
}

}  // namespace gapmap
