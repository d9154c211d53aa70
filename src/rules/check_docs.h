#pragma once
// The checklist's documentation as data (rules/checks/GAP*.json): one source for `gapmap rules`,
// `gapmap explain`, SARIF rule metadata and docs/rules/*.md, so they cannot disagree.
#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/report_model.h"
#include "rules/rule_files.h"

namespace gapmap::rules {

// SPEC §4 tiers, most demanding first; the order of the levels table everywhere.
inline constexpr std::array<std::string_view, 6> kTiers = {"critical", "regulated", "standard",
                                                           "internal", "batch",     "prototype"};

// Where docs/rules/ID.md is published; helpUri and help links point here unless told otherwise.
inline constexpr std::string_view kDocsBaseUri = "https://github.com/gapmap/gapmap/blob/main/docs/rules/";

// Languages that check examples are written in, in the order help shows them: display name and
// Markdown fence. Every check documents each of them.
struct ExampleLanguage {
  std::string_view key;      // "python", the key in examples.fail / examples.pass
  std::string_view display;  // "Python"
};
inline constexpr std::array<ExampleLanguage, 5> kExampleLanguages = {
    {{"python", "Python"}, {"typescript", "TypeScript"}, {"go", "Go"}, {"rust", "Rust"}, {"java", "Java"}}};

// One code example per entry of kExampleLanguages, same order.
struct CodeExample {
  std::array<std::string, kExampleLanguages.size()> code;
  const std::string& in(std::string_view language) const;
};

struct CheckDoc {
  std::string id;    // "GAP002"
  std::string key;   // "completion_check", the JSON key in call_sites[].checks
  std::string name;  // "MissingCompletionCheck", SARIF reportingDescriptor.name
  bool project_level = false;
  std::string short_description;  // one line, <= 120 characters
  std::string full_description;   // <= 1024 characters (SARIF and GitHub cap it)
  std::string why;
  std::string evidence;                      // what counts as passing evidence
  std::optional<std::string> not_applicable;  // when the check is n/a, if ever
  CodeExample fail, pass;
  std::vector<std::string> tags;  // <= 10 (GitHub keeps only ten)
  std::string precision;          // SARIF precision: very-high, high, medium, low
  int weight = 0;                 // default weight in the call-site score
  std::array<Level, kTiers.size()> levels{};  // by kTiers; Level::None = no finding in that tier
  std::string source;                         // file it came from, for messages

  Level level_for(std::string_view tier) const;
  // Level for SARIF defaultConfiguration: the default tier's (standard), else the first tier
  // where the check reports at all, so a regulated-only check still reads as an error.
  Level default_level() const;
};

// Loads rules/checks/*.json (after any --rules overlay), sorted by id. Throws RuleError naming the
// file and field for a missing or malformed field, a duplicate id or key, or an over-long text.
std::vector<CheckDoc> load_check_docs(const RuleFiles& files);

// By id ("GAP002"), key ("completion_check") or name ("MissingCompletionCheck"), ignoring case
// and treating '-' as '_'. nullptr when nothing matches.
const CheckDoc* find_check_doc(const std::vector<CheckDoc>& docs, std::string_view id_or_key);

// Long help as plain text (explain, SARIF help.text).
std::string render_check_text(const CheckDoc& doc, std::string_view docs_base_uri = {});
// Long help as GitHub-flavoured Markdown (SARIF help.markdown, docs/rules/ID.md body).
std::string render_check_markdown(const CheckDoc& doc);
// The committed page docs/rules/ID.md: the Markdown with a do-not-edit banner.
std::string render_check_page(const CheckDoc& doc);
// The document as JSON (`gapmap rules --format json`): the pack's fields with texts joined, plus
// help_uri when docs_base_uri is given.
nlohmann::ordered_json check_doc_json(const CheckDoc& doc, std::string_view docs_base_uri = {});

}  // namespace gapmap::rules
