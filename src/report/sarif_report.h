#pragma once
// SARIF 2.1.0 for code scanning dashboards (GitHub and others): one run, full rule metadata from
// rules/checks, relative URIs under %SRCROOT%, line-hash fingerprints, suppressions, baselines.
#include <cstddef>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/report_model.h"
#include "rules/check_docs.h"

namespace gapmap::report {

struct SarifOptions {
  // runs[0].automationDetails.id. GitHub keys alerts on it: a trailing '/' means "category only".
  std::string category = "gapmap/";
  // Files are read from here to compute primaryLocationLineHash; empty = leave the hash out (GitHub
  // then computes it on upload). Paths in the report are relative to this directory.
  std::filesystem::path source_root;
  // originalUriBaseIds["%SRCROOT%"].uri, e.g. srcroot_uri_for(root). Empty = only a description,
  // which keeps the bytes the same on every machine (shards, merge, CI runners).
  std::string srcroot_uri;
  // helpUri = docs_base_uri + id + ".md"
  std::string docs_base_uri{rules::kDocsBaseUri};
  std::string information_uri = "https://github.com/gapmap/gapmap";
  std::vector<rules::CheckDoc> checks;  // load_check_docs(); every check becomes a rule
  bool baseline_used = false;           // then every result gets baselineState new/unchanged
  // Results kept in the run: beyond this many (GitHub's ingestion rule GH1004 flags larger runs)
  // the least severe are left out, and a notification says how many.
  size_t max_kept_results = 1'000;
  // GitHub code scanning's upload limits; render_sarif refuses to produce more.
  size_t max_results = 25'000;
  size_t max_gzip_bytes = 10'000'000;
};

// The report does not fit the limits above; the message says which and what to do about it.
class SarifLimitError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// The SARIF log as JSON, without the size checks.
nlohmann::ordered_json to_sarif(const Report& report, const SarifOptions& options);
// Deterministic bytes (same report and files -> same output). Throws SarifLimitError when the log
// would hold more than max_results results or compress to more than max_gzip_bytes.
std::string render_sarif(const Report& report, const SarifOptions& options);

// "file:///abs/dir/" for a directory (percent-encoded, trailing slash), for SarifOptions::srcroot_uri.
std::string srcroot_uri_for(const std::filesystem::path& directory);

}  // namespace gapmap::report
