#include "rules/check_docs.h"

#include <fmt/format.h>

#include <algorithm>
#include <set>

namespace gapmap::rules {
namespace {

using nlohmann::json;

constexpr size_t kMaxShort = 120;
constexpr size_t kMaxFull = 1024;  // SARIF viewers and GitHub truncate fullDescription here
constexpr size_t kMaxTags = 10;    // GitHub code scanning keeps only the first ten
constexpr int kMaxWeight = 1000;

constexpr std::array<std::string_view, 14> kFields = {"id",       "key",      "name",           "scope",    "short",
                                                     "full",     "why",      "evidence",       "not_applicable",
                                                     "examples", "tags",     "precision",      "weight",   "levels"};

bool is_upper(char c) { return c >= 'A' && c <= 'Z'; }
bool is_lower(char c) { return c >= 'a' && c <= 'z'; }
bool is_digit(char c) { return c >= '0' && c <= '9'; }
char to_lower(char c) { return is_upper(c) ? static_cast<char>(c - 'A' + 'a') : c; }

// Names the file and field in every complaint, like the catalog loader does.
class DocReader {
 public:
  explicit DocReader(std::string origin) : origin_(std::move(origin)) {}

  [[noreturn]] void fail(std::string_view field, std::string_view problem) const {
    throw RuleError(fmt::format("{}: \"{}\" {}", origin_, field, problem));
  }

  // A string, or an array of strings joined by `separator` (lines of code, paragraphs of prose).
  std::string text(const json& obj, const char* field, std::string_view separator, bool required = true) const {
    auto it = obj.find(field);
    if (it == obj.end() || it->is_null()) {
      if (required) fail(field, "is required (a string or an array of strings)");
      return {};
    }
    std::string out;
    if (it->is_string()) {
      out = it->get<std::string>();
    } else if (it->is_array()) {
      bool first = true;
      for (const auto& part : *it) {
        if (!part.is_string()) fail(field, "must be a string or an array of strings");
        if (!first) out += separator;
        out += part.get<std::string>();
        first = false;
      }
    } else {
      fail(field, "must be a string or an array of strings");
    }
    if (required && out.find_first_not_of(" \t\n") == std::string::npos) fail(field, "must not be empty");
    return out;
  }

  std::string word(const json& obj, const char* field) const {
    auto it = obj.find(field);
    if (it == obj.end() || !it->is_string() || it->get<std::string>().empty())
      fail(field, "is required (a non-empty string)");
    return it->get<std::string>();
  }

  const json& object(const json& obj, const char* field) const {
    auto it = obj.find(field);
    if (it == obj.end() || !it->is_object()) fail(field, "is required (an object)");
    return *it;
  }

 private:
  std::string origin_;
};

Level parse_level(const json& v, const DocReader& r, std::string_view tier) {
  if (v.is_null()) return Level::None;
  if (v.is_string()) {
    auto s = v.get<std::string>();
    if (s == "error") return Level::Error;
    if (s == "warning") return Level::Warning;
    if (s == "note") return Level::Note;
  }
  r.fail(fmt::format("levels.{}", tier), "must be \"error\", \"warning\", \"note\" or null (no finding in that tier)");
}

std::string known_example_languages() {
  std::string out;
  for (const auto& l : kExampleLanguages) out += (out.empty() ? "" : ", ") + std::string(l.key);
  return out;
}

CodeExample read_example(const json& examples, const char* which, const DocReader& r) {
  auto it = examples.find(which);
  if (it == examples.end() || !it->is_object())
    r.fail(fmt::format("examples.{}", which), fmt::format("is required (an object with {})", known_example_languages()));
  for (const auto& [k, v] : it->items()) {
    (void)v;
    if (std::none_of(kExampleLanguages.begin(), kExampleLanguages.end(), [&](const auto& l) { return l.key == k; }))
      r.fail(fmt::format("examples.{}.{}", which, k), fmt::format("is not a known language ({})", known_example_languages()));
  }
  CodeExample out;
  for (size_t i = 0; i < kExampleLanguages.size(); ++i)
    out.code[i] = r.text(*it, std::string(kExampleLanguages[i].key).c_str(), "\n");
  return out;
}

CheckDoc read_doc(const json& doc, const std::string& rel, const std::string& origin) {
  DocReader r(origin);
  if (!doc.is_object()) throw RuleError(fmt::format("{}: a check document must be a JSON object", origin));
  for (const auto& [k, v] : doc.items()) {
    (void)v;
    if (std::find(kFields.begin(), kFields.end(), k) == kFields.end())
      r.fail(k, fmt::format("is not a known field (expected one of: {})", fmt::join(kFields, ", ")));
  }
  CheckDoc d;
  d.source = origin;
  d.id = r.word(doc, "id");
  bool id_ok = d.id.size() == 6 && d.id.starts_with("GAP") &&
               std::all_of(d.id.begin() + 3, d.id.end(), is_digit);
  if (!id_ok) r.fail("id", "must look like GAP001");
  // The file name is how docs and helpUri find a check, so it must agree with the id.
  std::string expected = "checks/" + d.id + ".json";
  if (rel != expected) r.fail("id", fmt::format("is {} but the file is {}; name the file {}", d.id, rel, expected));

  d.key = r.word(doc, "key");
  if (!std::all_of(d.key.begin(), d.key.end(), [](char c) { return is_lower(c) || is_digit(c) || c == '_'; }) ||
      !is_lower(d.key.front()))
    r.fail("key", "must be snake_case, like \"completion_check\"");
  d.name = r.word(doc, "name");
  if (!is_upper(d.name.front()) ||
      !std::all_of(d.name.begin(), d.name.end(), [](char c) { return is_upper(c) || is_lower(c) || is_digit(c); }))
    r.fail("name", "must be PascalCase, like \"MissingCompletionCheck\"");

  if (auto it = doc.find("scope"); it != doc.end()) {
    if (*it == "project") {
      d.project_level = true;
    } else if (*it != "call_site") {
      r.fail("scope", "must be \"call_site\" or \"project\"");
    }
  }

  d.short_description = r.text(doc, "short", " ");
  if (d.short_description.size() > kMaxShort)
    r.fail("short", fmt::format("is {} characters; keep it to {} (one line)", d.short_description.size(), kMaxShort));
  if (d.short_description.find('\n') != std::string::npos) r.fail("short", "must be one line");
  d.full_description = r.text(doc, "full", "\n\n");
  if (d.full_description.size() > kMaxFull)
    r.fail("full", fmt::format("is {} characters; SARIF consumers keep {}", d.full_description.size(), kMaxFull));
  d.why = r.text(doc, "why", "\n\n");
  d.evidence = r.text(doc, "evidence", "\n\n");
  if (auto na = r.text(doc, "not_applicable", "\n\n", false); !na.empty()) d.not_applicable = na;

  const json& examples = r.object(doc, "examples");
  for (const auto& [k, v] : examples.items()) {
    (void)v;
    if (k != "fail" && k != "pass") r.fail("examples." + k, "is not known (expected \"fail\" and \"pass\")");
  }
  d.fail = read_example(examples, "fail", r);
  d.pass = read_example(examples, "pass", r);

  auto tags = doc.find("tags");
  if (tags == doc.end() || !tags->is_array() || tags->empty()) r.fail("tags", "is required (an array of strings)");
  std::set<std::string> seen;
  for (const auto& t : *tags) {
    if (!t.is_string() || t.get<std::string>().empty()) r.fail("tags", "must hold non-empty strings");
    if (!seen.insert(t.get<std::string>()).second) r.fail("tags", fmt::format("repeats \"{}\"", t.get<std::string>()));
    d.tags.push_back(t.get<std::string>());
  }
  if (d.tags.size() > kMaxTags)
    r.fail("tags", fmt::format("has {} tags; GitHub code scanning keeps only {}", d.tags.size(), kMaxTags));

  d.precision = r.word(doc, "precision");
  if (d.precision != "very-high" && d.precision != "high" && d.precision != "medium" && d.precision != "low")
    r.fail("precision", "must be \"very-high\", \"high\", \"medium\" or \"low\" (SARIF precision)");

  auto weight = doc.find("weight");
  if (weight == doc.end() || !weight->is_number_integer() || weight->get<int64_t>() < 0 ||
      weight->get<int64_t>() > kMaxWeight)
    r.fail("weight", fmt::format("is required (an integer from 0 to {})", kMaxWeight));
  d.weight = weight->get<int>();

  const json& levels = r.object(doc, "levels");
  for (const auto& [k, v] : levels.items()) {
    (void)v;
    if (std::find(kTiers.begin(), kTiers.end(), k) == kTiers.end())
      r.fail("levels." + k, fmt::format("is not a tier (expected {})", fmt::join(kTiers, ", ")));
  }
  for (size_t i = 0; i < kTiers.size(); ++i) {
    auto it = levels.find(std::string(kTiers[i]));
    if (it == levels.end())
      r.fail(fmt::format("levels.{}", kTiers[i]), "is required (\"error\", \"warning\", \"note\" or null)");
    d.levels[i] = parse_level(*it, r, kTiers[i]);
  }
  return d;
}

std::string_view level_word(Level l) { return l == Level::None ? std::string_view("—") : to_string(l); }

// Greedy word wrap for terminal help; a paragraph starting "- " keeps a hanging indent.
std::string wrap(std::string_view paragraph, size_t width, std::string_view indent) {
  std::string out;
  size_t start = 0;
  while (start <= paragraph.size()) {
    size_t nl = paragraph.find('\n', start);
    std::string_view line = paragraph.substr(start, nl == std::string_view::npos ? std::string_view::npos : nl - start);
    std::string hanging(indent);
    if (line.starts_with("- ")) hanging += "  ";
    std::string current(indent);
    bool empty = true;
    size_t pos = 0;
    while (pos < line.size()) {
      size_t sp = line.find(' ', pos);
      std::string_view w = line.substr(pos, sp == std::string_view::npos ? std::string_view::npos : sp - pos);
      pos = sp == std::string_view::npos ? line.size() : sp + 1;
      if (w.empty()) continue;
      if (!empty && current.size() + 1 + w.size() > width) {
        out += current + "\n";
        current = hanging;
        empty = true;
      }
      if (!empty) current += ' ';
      current += w;
      empty = false;
    }
    out += current + "\n";
    if (nl == std::string_view::npos) break;
    start = nl + 1;
  }
  return out;
}

std::string wrap_paragraphs(std::string_view text, size_t width, std::string_view indent) {
  std::string out;
  size_t start = 0;
  while (true) {
    size_t end = text.find("\n\n", start);
    if (!out.empty()) out += "\n";
    out += wrap(text.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start), width, indent);
    if (end == std::string_view::npos) break;
    start = end + 2;
  }
  return out;
}

std::string indent_code(std::string_view code, std::string_view indent) {
  std::string out;
  size_t start = 0;
  while (start <= code.size()) {
    size_t nl = code.find('\n', start);
    std::string_view line = code.substr(start, nl == std::string_view::npos ? std::string_view::npos : nl - start);
    if (!line.empty()) out += indent;
    out += line;
    out += '\n';
    if (nl == std::string_view::npos) break;
    start = nl + 1;
  }
  return out;
}

std::string normalise(std::string_view s) {
  std::string out;
  for (char c : s) out += c == '-' ? '_' : to_lower(c);
  return out;
}

std::string weight_sentence(const CheckDoc& d) {
  if (d.project_level) return "A project-level check: it is not part of any call site's score.";
  if (d.weight == 0) return "Not weighted in the call-site score (weight 0).";
  return fmt::format("Weight in the call-site score: {} (configurable).", d.weight);
}

}  // namespace

Level CheckDoc::level_for(std::string_view tier) const {
  for (size_t i = 0; i < kTiers.size(); ++i)
    if (kTiers[i] == tier) return levels[i];
  return Level::None;
}

Level CheckDoc::default_level() const {
  if (Level l = level_for("standard"); l != Level::None) return l;
  for (Level l : levels)
    if (l != Level::None) return l;
  return Level::None;
}

std::vector<CheckDoc> load_check_docs(const RuleFiles& files) {
  std::vector<CheckDoc> docs;
  for (const auto& [rel, text] : files.files()) {
    (void)text;
    if (!rel.starts_with("checks/") || !rel.ends_with(".json")) continue;
    docs.push_back(read_doc(files.parse_json(rel), rel, files.origin(rel)));
  }
  std::sort(docs.begin(), docs.end(), [](const CheckDoc& a, const CheckDoc& b) { return a.id < b.id; });
  std::set<std::string> keys;
  for (const auto& d : docs)
    if (!keys.insert(d.key).second)
      throw RuleError(fmt::format("{}: \"key\" \"{}\" is already used by another check", d.source, d.key));
  return docs;
}

const CheckDoc* find_check_doc(const std::vector<CheckDoc>& docs, std::string_view id_or_key) {
  std::string want = normalise(id_or_key);
  for (const auto& d : docs)
    if (normalise(d.id) == want || normalise(d.key) == want || normalise(d.name) == want) return &d;
  return nullptr;
}

std::string render_check_text(const CheckDoc& d, std::string_view docs_base_uri) {
  constexpr size_t kWidth = 100;
  std::string out = fmt::format("{} {} ({}){}\n", d.id, d.name, d.key, d.project_level ? ", project level" : "");
  out += wrap(d.short_description, kWidth, "");
  out += "\n" + wrap_paragraphs(d.full_description, kWidth, "");
  out += "\nWHY IT MATTERS\n" + wrap_paragraphs(d.why, kWidth, "  ");
  out += "\nWHAT COUNTS AS EVIDENCE\n" + wrap_paragraphs(d.evidence, kWidth, "  ");
  if (d.not_applicable) out += "\nNOT APPLICABLE\n" + wrap_paragraphs(*d.not_applicable, kWidth, "  ");
  out += "\nLEVEL BY TIER\n";
  for (size_t i = 0; i < kTiers.size(); ++i)
    out += fmt::format("  {:<10} {}\n", kTiers[i], d.levels[i] == Level::None ? "no finding" : to_string(d.levels[i]));
  out += wrap(fmt::format("{} Precision: {}.", weight_sentence(d), d.precision), kWidth, "  ");
  for (size_t i = 0; i < kExampleLanguages.size(); ++i) {
    out += fmt::format("\nFAILS ({})\n", kExampleLanguages[i].display) + indent_code(d.fail.code[i], "    ");
    out += fmt::format("\nPASSES ({})\n", kExampleLanguages[i].display) + indent_code(d.pass.code[i], "    ");
  }
  out += "\nSUPPRESSING\n";
  out += wrap(fmt::format("A comment `gapmap: ignore[{}] reason` on the call's line or the line above (`# ...` in Python, "
                          "`// ...` in TypeScript, Go, Rust and Java) suppresses this check for that call; the result stays in SARIF "
                          "as suppressed.",
                          d.id),
              kWidth, "  ");
  if (!docs_base_uri.empty()) out += fmt::format("\nMore: {}{}.md\n", docs_base_uri, d.id);
  return out;
}

std::string render_check_markdown(const CheckDoc& d) {
  std::string out = fmt::format("# {}: {}\n\n", d.id, d.name);
  out += fmt::format("`{}` · {} · precision {} · {}\n\n", d.key, d.project_level ? "project-level check" : "call-site check",
                     d.precision, d.project_level || d.weight == 0 ? std::string("not in the score")
                                                                   : fmt::format("weight {}", d.weight));
  out += fmt::format("**{}**\n\n{}\n\n", d.short_description, d.full_description);
  out += fmt::format("## Why it matters\n\n{}\n\n", d.why);
  out += fmt::format("## What counts as evidence\n\n{}\n\n", d.evidence);
  if (d.not_applicable) out += fmt::format("## Not applicable\n\n{}\n\n", *d.not_applicable);
  out += "## Level by tier\n\n";
  out += fmt::format("| {} |\n", fmt::join(kTiers, " | "));
  out += "|";
  for (size_t i = 0; i < kTiers.size(); ++i) out += " --- |";
  out += "\n|";
  for (Level l : d.levels) out += fmt::format(" {} |", level_word(l));
  out += "\n\n— means the tier reports no finding for this check. " + weight_sentence(d) + "\n\n";
  out += "## Examples\n\n";
  for (size_t i = 0; i < kExampleLanguages.size(); ++i) {
    const auto& l = kExampleLanguages[i];
    out += fmt::format("### Fails ({})\n\n```{}\n{}\n```\n\n", l.display, l.key, d.fail.code[i]);
    out += fmt::format("### Passes ({})\n\n```{}\n{}\n```\n\n", l.display, l.key, d.pass.code[i]);
  }
  out += "## Suppressing\n\n";
  out += fmt::format(
      "Put `gapmap: ignore[{}] reason` in a comment on the call's line or the line above (`# gapmap: ignore[{}] "
      "reason` in Python, `// gapmap: ignore[{}] reason` in TypeScript, Go, Rust and Java). The result stays in SARIF with a "
      "`suppressions` entry and is counted, but it no longer fails the gate.\n",
      d.id, d.id, d.id);
  return out;
}

nlohmann::ordered_json check_doc_json(const CheckDoc& d, std::string_view docs_base_uri) {
  using nlohmann::ordered_json;
  ordered_json j;
  j["id"] = d.id;
  j["key"] = d.key;
  j["name"] = d.name;
  j["scope"] = d.project_level ? "project" : "call_site";
  j["short"] = d.short_description;
  j["full"] = d.full_description;
  j["why"] = d.why;
  j["evidence"] = d.evidence;
  j["not_applicable"] = d.not_applicable ? ordered_json(*d.not_applicable) : ordered_json(nullptr);
  ordered_json fail = ordered_json::object(), pass = ordered_json::object();
  for (size_t i = 0; i < kExampleLanguages.size(); ++i) {
    fail[std::string(kExampleLanguages[i].key)] = d.fail.code[i];
    pass[std::string(kExampleLanguages[i].key)] = d.pass.code[i];
  }
  j["examples"] = {{"fail", fail}, {"pass", pass}};
  j["tags"] = d.tags;
  j["precision"] = d.precision;
  j["weight"] = d.weight;
  ordered_json levels = ordered_json::object();
  for (size_t i = 0; i < kTiers.size(); ++i)
    levels[std::string(kTiers[i])] = d.levels[i] == Level::None ? ordered_json(nullptr) : ordered_json(to_string(d.levels[i]));
  j["levels"] = levels;
  j["default_level"] = std::string(to_string(d.default_level()));
  if (!docs_base_uri.empty()) j["help_uri"] = fmt::format("{}{}.md", docs_base_uri, d.id);
  return j;
}

std::string render_check_page(const CheckDoc& d) {
  return fmt::format(
             "<!-- Generated from rules/checks/{}.json; do not edit. Change the JSON, then run\n"
             "     GAPMAP_UPDATE_GOLDEN=1 build/tests/gapmap_tests -tc='rule docs*' -->\n\n",
             d.id) +
         render_check_markdown(d);
}

}  // namespace gapmap::rules

namespace gapmap::rules {

const std::string& CodeExample::in(std::string_view language) const {
  for (size_t i = 0; i < kExampleLanguages.size(); ++i)
    if (kExampleLanguages[i].key == language) return code[i];
  static const std::string none;
  return none;
}

}  // namespace gapmap::rules
