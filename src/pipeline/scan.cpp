#include "pipeline/scan.h"

#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <thread>

#include "core/hash.h"
#include "core/parallel.h"
#include "discover/generated.h"
#include "checks/engine.h"
#include "detect/call_detector.h"
#include "index/call_graph.h"
#include "index/project_index.h"
#include "rules/check_docs.h"
#include "rules/knowledge.h"
#include "score/findings.h"
#include "score/policy.h"
#include "lang/extractor.h"
#include "lang/registry.h"
#include "rules/catalog.h"

namespace gapmap::pipeline {
namespace {

void append_utf8(std::string& out, uint32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

// KEY=VALUE lines of .env files beside the scanned code: LANGCHAIN_TRACING_V2=true is tracing.
std::vector<checks::EnvSetting> read_env_files(const std::filesystem::path& root, const std::vector<discover::SourceFile>& files) {
  std::set<std::string> dirs{""};
  for (const auto& f : files) {
    auto slash = f.relative.rfind('/');
    dirs.insert(slash == std::string::npos ? "" : f.relative.substr(0, slash));
  }
  std::vector<checks::EnvSetting> out;
  for (const auto& d : dirs) {
    std::string rel = d.empty() ? ".env" : d + "/.env";
    std::error_code ec;
    auto path = root / rel;
    if (!std::filesystem::is_regular_file(std::filesystem::symlink_status(path, ec)) ||
        std::filesystem::file_size(path, ec) > 256 * 1024)
      continue;
    std::ifstream in(path);
    std::string line;
    uint32_t n = 0;
    while (std::getline(in, line)) {
      ++n;
      if (line.starts_with("export ")) line.erase(0, 7);
      auto eq = line.find('=');
      if (eq == std::string::npos || line.starts_with("#")) continue;
      std::string key = line.substr(0, eq), value = line.substr(eq + 1);
      while (!value.empty() && (value.back() == '\r' || value.back() == ' ')) value.pop_back();
      if (value.size() >= 2 && (value.front() == '"' || value.front() == '\'')) value = value.substr(1, value.size() - 2);
      out.push_back({rel, n, key, value});
    }
  }
  return out;
}

// YAML files beside the code that may configure LLM routing (a LiteLLM proxy's config.yaml).
std::vector<checks::ConfigText> read_config_files(const std::filesystem::path& root, const std::vector<discover::SourceFile>& files) {
  std::set<std::string> dirs{""};
  for (const auto& f : files) {
    std::string rel = f.relative;
    for (auto slash = rel.rfind('/'); slash != std::string::npos; slash = rel.rfind('/')) {
      rel = rel.substr(0, slash);
      dirs.insert(rel);
    }
  }
  std::vector<checks::ConfigText> out;
  for (const auto& d : dirs) {
    std::error_code ec;
    for (const char* name : {"config.yaml", "config.yml", "litellm_config.yaml", "litellm.yaml", "proxy_config.yaml",
                             "litellm-config.yaml", "router.yaml", "vercel.json", "pom.xml", "build.gradle",
                             "build.gradle.kts"}) {
      std::string rel = d.empty() ? name : d + "/" + name;
      auto path = root / rel;
      if (!std::filesystem::is_regular_file(std::filesystem::symlink_status(path, ec)) ||
          std::filesystem::file_size(path, ec) > 1024 * 1024)
        continue;
      std::ifstream in(path, std::ios::binary);
      std::ostringstream ss;
      ss << in.rdbuf();
      out.push_back({rel, ss.str()});
    }
  }
  return out;
}

// The process's peak resident memory so far, in MB (0 where /proc is not there).
double peak_rss_mb() {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line))
    if (line.starts_with("VmHWM:")) return std::stod(line.substr(6)) / 1024.0;
  return 0;
}

struct FileOutcome {
  FileSummary summary;
  std::vector<ScanError> errors;
  bool scanned = false;
  bool generated = false;
};

FileOutcome process_file(lang::Extractor& extractor, const discover::SourceFile& file, bool skip_generated) {
  FileOutcome out;
  std::ifstream in(file.absolute, std::ios::binary);
  if (!in) {
    out.errors.push_back({file.relative, std::nullopt, "cannot read: permission denied or file vanished"});
    return out;
  }
  std::ostringstream ss;
  ss << in.rdbuf();
  std::string text = ss.str();
  if (!decode_source(text)) return out;  // binary: nothing to scan, not an error
  if (skip_generated && discover::looks_generated(file.relative, text)) {
    out.generated = true;
    return out;
  }
  out.summary = extractor.summarize(file.language, file.relative, text);
  out.summary.content_hash = hex64(fnv1a64(text));
  out.scanned = true;
  for (const auto& p : out.summary.problems)
    out.errors.push_back({file.relative, p.line,
                          p.message + (p.message.starts_with("syntax error") ? " (the rest of the file was still scanned)" : "")});
  return out;
}

}  // namespace

bool decode_source(std::string& bytes) {
  auto starts = [&](std::initializer_list<unsigned char> bom) {
    if (bytes.size() < bom.size()) return false;
    size_t i = 0;
    for (unsigned char b : bom)
      if (static_cast<unsigned char>(bytes[i++]) != b) return false;
    return true;
  };
  if (starts({0xEF, 0xBB, 0xBF})) {
    bytes.erase(0, 3);
  } else if (starts({0xFF, 0xFE}) || starts({0xFE, 0xFF})) {
    bool le = static_cast<unsigned char>(bytes[0]) == 0xFF;
    std::string out;
    out.reserve(bytes.size() / 2);
    for (size_t i = 2; i + 1 < bytes.size(); i += 2) {
      auto b0 = static_cast<unsigned char>(bytes[i]), b1 = static_cast<unsigned char>(bytes[i + 1]);
      uint32_t u = le ? (b0 | (b1 << 8)) : ((b0 << 8) | b1);
      if (u >= 0xD800 && u <= 0xDBFF && i + 3 < bytes.size()) {
        auto c0 = static_cast<unsigned char>(bytes[i + 2]), c1 = static_cast<unsigned char>(bytes[i + 3]);
        uint32_t lo = le ? (c0 | (c1 << 8)) : ((c0 << 8) | c1);
        if (lo >= 0xDC00 && lo <= 0xDFFF) {
          u = 0x10000 + ((u - 0xD800) << 10) + (lo - 0xDC00);
          i += 2;
        }
      }
      append_utf8(out, u);
    }
    bytes = std::move(out);
    return true;
  }
  return bytes.find('\0') == std::string::npos;
}

ScanOutput scan(const std::vector<std::string>& paths, const ScanOptions& options, const rules::RuleFiles& rules) {
  ScanOutput out;
  auto started = std::chrono::steady_clock::now();
  auto lap = [&](const char* phase) {
    auto now = std::chrono::steady_clock::now();
    out.timings.push_back({phase, std::chrono::duration<double>(now - started).count(), peak_rss_mb()});
    started = now;
  };
  discover::Discovery found = discover::discover(paths, options.discover);
  out.root = found.root.string();
  lang::LanguageRegistry registry(rules);
  std::set<std::string, std::less<>> languages;
  for (const auto& f : found.files)
    if (languages.insert(f.language).second) registry.prepare(f.language);
  rules::Catalog catalog = rules::load_catalog(rules, &languages);
  lap("discover");

  // Phase 1, per file and parallel. Results land by index, so order never depends on threads.
  std::vector<FileOutcome> outcomes(found.files.size());
  std::atomic<size_t> done{0};
  parallel_for(
      found.files.size(), options.jobs, [&] { return lang::Extractor(registry); },
      [&](lang::Extractor& extractor, size_t i) {
        outcomes[i] = process_file(extractor, found.files[i], options.discover.use_ignore_files);
        size_t d = ++done;
        if (options.progress) options.progress(d, found.files.size());
      });
  lap("summarise");
  Report& report = out.report;
  report.tool_version = GAPMAP_VERSION;
  report.errors = std::move(found.errors);
  report.generated_skipped = found.generated_skipped;
  for (auto& o : outcomes) {
    for (auto& e : o.errors) report.errors.push_back(std::move(e));
    report.generated_skipped += o.generated;
    if (!o.scanned) continue;
    ++report.files_scanned;
    out.summaries.push_back(std::move(o.summary));
  }

  // Phase 2, whole project in memory.
  rules::Knowledge knowledge = rules::Knowledge::load(rules);
  out.docs = rules::load_check_docs(rules);
  score::TierPolicy policy(out.docs, options.config.weights);
  index::ProjectIndex project(out.summaries);
  const std::vector<std::string>& wrappers = knowledge.list("tracing.client_wrappers");
  index::Resolver resolver(project, wrappers);
  detect::CallDetector detector(resolver, catalog);
  lap("index");
  std::vector<ScanError> resolution_problems;
  std::vector<detect::DetectedCall> sites = detector.detect(&resolution_problems);
  for (auto& e : resolution_problems) report.errors.push_back(std::move(e));
  lap("detect");
  for (auto& d : sites) {
    // Tier: an inline comment on the function, then a config glob, then --tier, then the default.
    const FileSummary& f = project.file(d.file);
    std::string tier = score::inline_tier(f, f.calls[d.call].range.line);
    if (tier.empty() || !config::is_tier(tier)) {
      // Globs are relative to the directory of the .gapmap.json, wherever the scan started.
      std::string config_relative = d.site.file;
      if (!options.config.base_dir.empty()) {
        std::error_code ec;
        auto abs = std::filesystem::absolute(found.root / d.site.file, ec).lexically_normal();
        auto rel = abs.lexically_relative(options.config.base_dir.lexically_normal());
        if (!rel.empty() && !rel.string().starts_with("..")) config_relative = rel.generic_string();
      }
      auto by_glob = options.config.glob_tier(config_relative);
      tier = by_glob ? *by_glob : !options.tier_override.empty() ? options.tier_override : options.config.default_tier;
    }
    d.site.tier = tier;
  }
  // Detection charged its budget per file; what follows is not cut (begin_file clears the mark).
  resolver.set_budget(index::ResolverBudget::unlimited());
  resolver.begin_file();
  index::CallGraph graph(project, resolver);
  lap("call graph");
  checks::ProjectFacts facts = checks::collect_facts(project, resolver, knowledge, read_env_files(found.root, found.files),
                                                         read_config_files(found.root, found.files));
  // Spring AI's injected ChatClient says nothing of its provider; the one model starter the build
  // depends on does.
  if (facts.build_provider)
    for (auto& d : sites)
      if (d.site.provider == "unknown" && knowledge.contains("build.provider_vias", d.site.via))
        d.site.provider = *facts.build_provider;
  checks::judge_sites(sites, project, resolver, graph, knowledge, facts, options.jobs);
  lap("checks");
  CheckResult concentration = checks::judge_provider_concentration(sites);
  for (auto& d : sites) {
    d.site.score = score::site_score(d.site, policy);
    report.partially_resolved += d.site.partial;
    report.call_sites.push_back(std::move(d.site));
  }
  report.score = score::project_score(report.call_sites);
  report.findings = score::make_findings(report.call_sites, concentration, out.summaries, policy);
  std::sort(report.errors.begin(), report.errors.end(), [](const ScanError& a, const ScanError& b) {
    return std::tie(a.file, a.line, a.message) < std::tie(b.file, b.line, b.message);
  });
  lap("report");
  return out;
}

}  // namespace gapmap::pipeline
