#pragma once
#include <cstdint>
#include <string>
#include <string_view>

namespace gapmap {

// FNV-1a, 64-bit: stable across platforms and runs, for ids and fingerprints (not security).
inline uint64_t fnv1a64(std::string_view data, uint64_t seed = 1469598103934665603ULL) {
  uint64_t h = seed;
  for (unsigned char c : data) {
    h ^= c;
    h *= 1099511628211ULL;
  }
  return h;
}

inline std::string hex64(uint64_t v) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string s(16, '0');
  for (int i = 15; i >= 0; --i, v >>= 4) s[static_cast<size_t>(i)] = kDigits[v & 0xF];
  return s;
}

}  // namespace gapmap
