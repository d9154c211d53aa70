#include "score/findings.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>

#include "core/hash.h"

namespace gapmap::score {
namespace {

struct IgnoreComment {
  uint32_t line;
  std::vector<std::string> rules;  // empty = all
  std::string reason;
  bool used = false;
};

// Parses "gapmap: <word>" directives by hand: comments are short, and std::regex is both slow
// and trips GCC 12's -Wmaybe-uninitialized under the sanitizers.
size_t skip_spaces(std::string_view s, size_t i) {
  while (i < s.size() && (s[i] == ' ' || s[i] == '\t')) ++i;
  return i;
}

// Position just after "gapmap:" + spaces + `word`, or npos.
size_t after_directive(std::string_view text, std::string_view word) {
  for (size_t at = text.find("gapmap:"); at != std::string_view::npos; at = text.find("gapmap:", at + 1)) {
    size_t i = skip_spaces(text, at + 7);
    if (text.substr(i, word.size()) == word) return i + word.size();
  }
  return std::string_view::npos;
}

std::vector<IgnoreComment> ignore_comments(const FileSummary& f) {
  std::vector<IgnoreComment> out;
  for (const auto& c : f.comments) {
    std::string_view text = c.text;
    size_t i = after_directive(text, "ignore");
    if (i == std::string_view::npos) continue;
    IgnoreComment ic{c.line, {}, {}, false};
    if (i < text.size() && text[i] == '[') {
      size_t close = text.find(']', i);
      if (close == std::string_view::npos) continue;
      std::string_view list = text.substr(i + 1, close - i - 1);
      size_t pos = 0;
      while (pos <= list.size()) {
        size_t comma = list.find(',', pos);
        std::string_view id = list.substr(pos, comma == std::string_view::npos ? std::string_view::npos : comma - pos);
        size_t b = id.find_first_not_of(" \t"), e = id.find_last_not_of(" \t");
        if (b != std::string_view::npos) ic.rules.emplace_back(id.substr(b, e - b + 1));
        if (comma == std::string_view::npos) break;
        pos = comma + 1;
      }
      i = close + 1;
    }
    ic.reason = std::string(text.substr(skip_spaces(text, i)));
    while (!ic.reason.empty() && (ic.reason.back() == ' ' || ic.reason.back() == '/' || ic.reason.back() == '*' ||
                                  ic.reason.back() == '-' || ic.reason.back() == '>'))
      ic.reason.pop_back();
    out.push_back(std::move(ic));
  }
  return out;
}

std::string normalise(std::string_view call_text) {
  std::string out;
  for (char c : call_text)
    if (c != ' ' && c != '\t' && c != '\n' && c != '\r') out += c;
  return out;
}

}  // namespace

std::string inline_tier(const FileSummary& file, uint32_t line) {
  auto tier_in = [](std::string_view text) -> std::string {
    size_t i = after_directive(text, "tier");
    if (i == std::string_view::npos) return {};
    i = skip_spaces(text, i);
    if (i >= text.size() || text[i] != '=') return {};
    i = skip_spaces(text, i + 1);
    size_t e = i;
    while (e < text.size() && text[e] >= 'a' && text[e] <= 'z') ++e;
    return std::string(text.substr(i, e - i));
  };
  // The innermost function containing the line, then its outer functions.
  std::vector<const Function*> around;
  for (const auto& fn : file.functions)
    if (fn.range.line <= line && line <= fn.range.end_line) around.push_back(&fn);
  std::sort(around.begin(), around.end(), [](const Function* a, const Function* b) { return a->range.line > b->range.line; });
  for (const Function* fn : around) {
    for (const auto& c : file.comments) {
      bool inside = c.line >= fn->range.line && c.line <= fn->range.end_line;
      bool above = c.line + 1 == fn->range.line || c.line + 2 == fn->range.line;  // a decorator may sit between
      if (!inside && !above) continue;
      if (std::string t = tier_in(c.text); !t.empty()) return t;
    }
  }
  return {};
}

std::string finding_fingerprint(const std::string& rule, const std::string& file, const std::string& function,
                                const std::string& call_text, int ordinal) {
  return hex64(fnv1a64(fmt::format("{}\n{}\n{}\n{}\n{}", rule, file, function, normalise(call_text), ordinal)));
}

std::vector<Finding> make_findings(const std::vector<CallSite>& sites, const CheckResult& concentration,
                                   const std::vector<FileSummary>& files, const TierPolicy& policy) {
  std::map<std::string, std::vector<IgnoreComment>> ignores;
  std::map<std::string, const FileSummary*> by_path;
  for (const auto& f : files) {
    by_path[f.path] = &f;
    auto ic = ignore_comments(f);
    if (!ic.empty()) ignores[f.path] = std::move(ic);
  }
  std::vector<Finding> out;
  std::map<std::string, int> ordinals;
  auto add = [&](Finding f, const std::string& function, const std::string& call_text, uint32_t cell_line_or_line) {
    std::string key = f.rule + "\n" + f.file + "\n" + function + "\n" + normalise(call_text);
    f.fingerprint = finding_fingerprint(f.rule, f.file, function, call_text, ordinals[key]++);
    // An ignore comment on the call's line or the line above.
    if (auto it = ignores.find(f.file); it != ignores.end()) {
      for (auto& ic : it->second) {
        if (ic.line != cell_line_or_line && ic.line + 1 != cell_line_or_line) continue;
        if (!ic.rules.empty() && std::find(ic.rules.begin(), ic.rules.end(), f.rule) == ic.rules.end() &&
            std::find(ic.rules.begin(), ic.rules.end(), f.check) == ic.rules.end())
          continue;
        ic.used = true;
        f.suppressed = true;
        f.suppression_reason = ic.reason;
      }
    }
    out.push_back(std::move(f));
  };
  for (const auto& s : sites) {
    // Comments sit in the summary's own line numbering (for notebooks, the joined cells).
    uint32_t summary_line = s.line;
    if (auto it = by_path.find(s.file); it != by_path.end() && !it->second->cells.empty() && s.cell)
      for (const auto& c : it->second->cells)
        if (c.cell == *s.cell) summary_line = c.first_line + *s.cell_line - 1;
    for (const auto& [key, result] : s.checks) {
      if (result.status != CheckStatus::Fail) continue;
      Level level = policy.level(key, s.tier);
      if (level == Level::None) continue;
      const rules::CheckDoc* doc = policy.doc(key);
      if (!doc) continue;
      Finding f;
      f.rule = doc->id;
      f.check = key;
      f.level = level;
      f.file = s.file;
      f.line = s.line;
      f.column = s.column;
      f.end_line = s.end_line;
      f.end_column = s.end_column;
      std::string why = result.evidence.empty() ? std::string{} : result.evidence.front().note;
      f.message = fmt::format("{} {} call: {}", s.provider, s.api, why.empty() ? doc->short_description : why);
      f.call_site = s.id;
      f.related = result.evidence;
      add(std::move(f), s.function, s.sdk_method, summary_line);
    }
  }
  // Project level: the level of the highest tier among generation sites, at the first of them.
  if (concentration.status == CheckStatus::Fail && !concentration.evidence.empty()) {
    const rules::CheckDoc* doc = policy.doc("provider_concentration");
    Level level = Level::None;
    const CallSite* first = nullptr;
    for (const auto& s : sites) {
      if (s.api != "chat" && s.api != "completion") continue;
      if (!first) first = &s;
      level = std::max(level, policy.level("provider_concentration", s.tier));
    }
    if (doc && first && level != Level::None) {
      Finding f;
      f.rule = doc->id;
      f.check = "provider_concentration";
      f.level = level;
      f.file = first->file;
      f.line = first->line;
      f.column = first->column;
      f.end_line = first->end_line;
      f.end_column = first->end_column;
      f.message = "project: " + concentration.evidence.front().note;
      f.related = concentration.evidence;
      add(std::move(f), "<project>", "", first->line);
    }
  }
  // Ignore comments that suppressed nothing are worth a note: they hide nothing, or the wrong rule.
  for (const auto& [path, list] : ignores)
    for (const auto& ic : list) {
      if (ic.used) continue;
      Finding f;
      f.rule = "GAP000";
      f.check = "unused_suppression";
      f.level = Level::Note;
      f.file = path;
      f.line = ic.line;
      f.column = 1;
      f.end_line = ic.line;
      f.end_column = 1;
      if (auto it = by_path.find(path); it != by_path.end() && !it->second->cells.empty()) {
        // keep the joined-cell line; reports map it as well as they can
      }
      f.message = "this `gapmap: ignore` comment suppresses nothing: no finding on this line or the next";
      add(std::move(f), "<file>", std::to_string(ic.line), 0);
    }
  std::sort(out.begin(), out.end(), [](const Finding& a, const Finding& b) {
    return std::tie(a.file, a.line, a.column, a.rule, a.fingerprint) < std::tie(b.file, b.line, b.column, b.rule, b.fingerprint);
  });
  return out;
}

}  // namespace gapmap::score
