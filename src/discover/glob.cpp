#include "discover/glob.h"

namespace gapmap::discover {
namespace {

bool match_class(std::string_view p, size_t& pi, char c) {
  // p[pi] == '['; on return pi is past ']'.
  size_t i = pi + 1;
  bool negate = i < p.size() && (p[i] == '!' || p[i] == '^');
  if (negate) ++i;
  bool matched = false;
  bool first = true;
  for (; i < p.size() && (first || p[i] != ']'); ++i, first = false) {
    if (i + 2 < p.size() && p[i + 1] == '-' && p[i + 2] != ']') {
      if (p[i] <= c && c <= p[i + 2]) matched = true;
      i += 2;
    } else if (p[i] == c) {
      matched = true;
    }
  }
  pi = i < p.size() ? i + 1 : i;
  return matched != negate;
}

bool match_from(std::string_view p, size_t pi, std::string_view s, size_t si, int budget) {
  if (--budget <= 0) return false;  // pathological patterns fail closed instead of hanging
  while (pi < p.size()) {
    char pc = p[pi];
    if (pc == '*') {
      bool doublestar = pi + 1 < p.size() && p[pi + 1] == '*';
      if (doublestar) {
        size_t after = pi + 2;
        if (after < p.size() && p[after] == '/') ++after;
        for (size_t k = si; k <= s.size(); ++k)
          if ((k == si || s[k - 1] == '/' || after == p.size()) && match_from(p, after, s, k, budget)) return true;
        return false;
      }
      for (size_t k = si; k <= s.size(); ++k) {
        if (match_from(p, pi + 1, s, k, budget)) return true;
        if (k < s.size() && s[k] == '/') break;
      }
      return false;
    }
    if (si >= s.size()) return false;
    if (pc == '?') {
      if (s[si] == '/') return false;
      ++pi;
      ++si;
    } else if (pc == '[') {
      if (s[si] == '/' || !match_class(p, pi, s[si])) return false;
      ++si;
    } else {
      if (pc == '\\' && pi + 1 < p.size()) pc = p[++pi];
      if (pc != s[si]) return false;
      ++pi;
      ++si;
    }
  }
  return si == s.size();
}

}  // namespace

bool glob_match(std::string_view pattern, std::string_view path) {
  return match_from(pattern, 0, path, 0, 100000);
}

}  // namespace gapmap::discover
