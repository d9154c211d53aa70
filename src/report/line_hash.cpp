#include "report/line_hash.h"

#include <fmt/format.h>

#include <array>
#include <cstdint>
#include <unordered_map>

namespace gapmap::report {
namespace {

constexpr size_t kBlock = 100;
constexpr uint64_t kMod = 37;
constexpr uint32_t kEof = 65535;

constexpr uint64_t first_mod() {
  uint64_t m = 1;
  for (size_t i = 0; i < kBlock; ++i) m *= kMod;  // wraps mod 2^64, as the reference's Long does
  return m;
}

// A transcription of codeql-action's fingerprints.ts hash(): the quirks (CR handling, where
// whitespace resets the CR state, the EOF unit starting a line of its own) are what make the
// values match GitHub's, so they are kept as they are there.
class RollingHasher {
 public:
  void feed(uint32_t c) {
    if (c == ' ' || c == '\t' || (prev_cr_ && c == '\n')) {
      prev_cr_ = false;
      return;
    }
    if (c == '\r') {
      c = '\n';
      prev_cr_ = true;
    } else {
      prev_cr_ = false;
    }
    if (line_at_[index_] != 0) output();
    if (line_start_) {
      line_start_ = false;
      line_at_[index_] = ++line_;
    }
    if (c == '\n') line_start_ = true;
    update(c);
  }

  std::vector<std::string> finish() {
    feed(kEof);
    for (size_t i = 0; i < kBlock; ++i) {
      if (line_at_[index_] != 0) output();
      update(0);
    }
    return std::move(hashes_);
  }

 private:
  void update(uint32_t c) {
    uint64_t leaving = window_[index_];
    window_[index_] = c;
    hash_ = kMod * hash_ + c - kFirstMod * leaving;
    index_ = (index_ + 1) % kBlock;
  }

  void output() {
    int n = ++seen_[hash_];
    size_t line = line_at_[index_];
    if (hashes_.size() < line) hashes_.resize(line);
    hashes_[line - 1] = fmt::format("{:x}:{}", hash_, n);
    line_at_[index_] = 0;
  }

  static constexpr uint64_t kFirstMod = first_mod();
  std::array<uint32_t, kBlock> window_{};
  std::array<size_t, kBlock> line_at_{};  // 1-based line starting at this window slot, 0 = none
  uint64_t hash_ = 0;
  size_t index_ = 0;
  size_t line_ = 0;
  bool line_start_ = true;
  bool prev_cr_ = false;
  std::unordered_map<uint64_t, int> seen_;
  std::vector<std::string> hashes_;
};

// WHATWG UTF-8 decoding (what Node's "utf8" streams do), delivered as UTF-16 code units.
template <class Sink>
void decode_utf16(std::string_view bytes, Sink&& sink) {
  auto emit = [&](uint32_t cp) {
    if (cp > 0xFFFF) {
      cp -= 0x10000;
      sink(0xD800 + (cp >> 10));
      sink(0xDC00 + (cp & 0x3FF));
    } else {
      sink(cp);
    }
  };
  uint32_t cp = 0;
  int needed = 0, seen = 0;
  unsigned lower = 0x80, upper = 0xBF;
  for (size_t i = 0; i < bytes.size();) {
    unsigned b = static_cast<unsigned char>(bytes[i]);
    if (needed == 0) {
      ++i;
      if (b <= 0x7F) {
        emit(b);
      } else if (b >= 0xC2 && b <= 0xDF) {
        needed = 1;
        cp = b & 0x1F;
      } else if (b >= 0xE0 && b <= 0xEF) {
        if (b == 0xE0) lower = 0xA0;
        if (b == 0xED) upper = 0x9F;
        needed = 2;
        cp = b & 0x0F;
      } else if (b >= 0xF0 && b <= 0xF4) {
        if (b == 0xF0) lower = 0x90;
        if (b == 0xF4) upper = 0x8F;
        needed = 3;
        cp = b & 0x07;
      } else {
        emit(0xFFFD);
      }
      continue;
    }
    if (b < lower || b > upper) {
      // The byte is not consumed: it may start the next sequence.
      cp = 0;
      needed = seen = 0;
      lower = 0x80;
      upper = 0xBF;
      emit(0xFFFD);
      continue;
    }
    ++i;
    lower = 0x80;
    upper = 0xBF;
    cp = (cp << 6) | (b & 0x3F);
    if (++seen == needed) {
      emit(cp);
      cp = 0;
      needed = seen = 0;
    }
  }
  if (needed != 0) emit(0xFFFD);
}

}  // namespace

std::vector<std::string> line_hashes(std::string_view text) {
  RollingHasher hasher;
  decode_utf16(text, [&](uint32_t unit) { hasher.feed(unit); });
  return hasher.finish();
}

}  // namespace gapmap::report
