#include "report/sarif_report.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <map>
#include <optional>

#include "report/line_hash.h"

namespace gapmap::report {

using nlohmann::ordered_json;

namespace {

constexpr const char* kSchema = "https://json.schemastore.org/sarif-2.1.0.json";
constexpr const char* kSrcRoot = "%SRCROOT%";
// GitHub keeps at most this many related locations per result; more only bloat the upload.
constexpr size_t kMaxRelated = 100;
// Line hashes need the whole file in memory; anything bigger than this was never a source file.
constexpr off_t kMaxHashedFile = 64 * 1024 * 1024;

// RFC 3986 path characters stay; everything else is %XX. ':' is encoded too, because in a
// relative reference "a:b/c.py" would read as scheme "a".
std::string encode_path(std::string_view path) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : path) {
    bool keep = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                std::string_view("-._~/!$&'()*+,;=@").find(static_cast<char>(c)) != std::string_view::npos;
    if (keep) {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 0xF];
    }
  }
  return out;
}

// A relative path from a report, safe to open under the root: no absolute paths, no "..".
bool safe_relative(std::string_view rel) {
  if (rel.empty() || rel.front() == '/') return false;
  size_t start = 0;
  while (start <= rel.size()) {
    size_t slash = rel.find('/', start);
    std::string_view seg = rel.substr(start, slash == std::string_view::npos ? std::string_view::npos : slash - start);
    if (seg == "..") return false;
    if (slash == std::string_view::npos) break;
    start = slash + 1;
  }
  return true;
}

class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  int get() const { return fd_; }

 private:
  int fd_;
};

// Reads a regular file without blocking on FIFOs or devices (O_NONBLOCK, then fstat decides).
std::optional<std::string> read_regular_file(const std::filesystem::path& path) {
  Fd fd(::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY));
  if (fd.get() < 0) return std::nullopt;
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0 || !S_ISREG(st.st_mode) || st.st_size > kMaxHashedFile) return std::nullopt;
  std::string data;
  data.reserve(static_cast<size_t>(st.st_size));
  std::array<char, 65536> buf{};
  while (true) {
    ssize_t n = ::read(fd.get(), buf.data(), buf.size());
    if (n < 0) return std::nullopt;
    if (n == 0) break;
    data.append(buf.data(), static_cast<size_t>(n));
    if (data.size() > static_cast<size_t>(kMaxHashedFile)) return std::nullopt;
  }
  return data;
}

// Line hashes per file, each file read once per rendering.
class LineHashCache {
 public:
  explicit LineHashCache(const std::filesystem::path& root) : root_(root) {
    std::error_code ec;
    if (!root_.empty()) canonical_root_ = std::filesystem::weakly_canonical(root_, ec);
    if (ec) canonical_root_.clear();
  }

  std::optional<std::string> hash(const std::string& rel, uint32_t line) {
    if (canonical_root_.empty() || line == 0) return std::nullopt;
    auto it = files_.find(rel);
    if (it == files_.end()) it = files_.emplace(rel, load(rel)).first;
    if (line > it->second.size()) return std::nullopt;
    return it->second[line - 1];
  }

 private:
  std::vector<std::string> load(const std::string& rel) const {
    if (!safe_relative(rel)) return {};
    std::error_code ec;
    auto path = std::filesystem::weakly_canonical(root_ / rel, ec);
    if (ec) return {};
    // A symlink that leads out of the scan root is not read (SPEC §8).
    auto [root_end, _] = std::mismatch(canonical_root_.begin(), canonical_root_.end(), path.begin(), path.end());
    if (root_end != canonical_root_.end()) return {};
    auto text = read_regular_file(path);
    if (!text) return {};
    return line_hashes(*text);
  }

  std::filesystem::path root_, canonical_root_;
  std::map<std::string, std::vector<std::string>> files_;
};

// SARIF §3.11.6: in a message with embedded links, literal brackets are escaped, and so is a
// backslash that would otherwise read as escaping one.
std::string escape_message(std::string_view text) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '\\' && i + 1 < text.size() && (text[i + 1] == '[' || text[i + 1] == ']')) {
      out += "\\\\";
    } else if (c == '[' || c == ']') {
      out += '\\';
      out += c;
    } else {
      out += c;
    }
  }
  return out;
}

std::string_view basename(std::string_view path) {
  auto slash = path.rfind('/');
  return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

void end_sentence(std::string& text) {
  while (!text.empty() && (text.back() == ' ' || text.back() == '\n')) text.pop_back();
  if (text.empty()) return;
  char last = text.back();
  if (last != '.' && last != '!' && last != '?') text += '.';
}

struct LinkTarget {
  int id;
  std::string token;  // "file:line" as the message may mention it
};

// The evidence sentence, with each related location it mentions ("app/llm.py:42") turned into a
// link to that location; evidence it does not mention is listed after it, so every related
// location is reachable from the message.
std::string linked_message(std::string_view message, const std::vector<LinkTarget>& targets) {
  struct Hit {
    size_t pos, len;
    int id;
  };
  std::vector<Hit> hits;
  std::vector<const LinkTarget*> unmentioned;
  for (const auto& t : targets) {
    std::optional<Hit> found;
    for (std::string_view token : {std::string_view(t.token), basename(t.token)}) {
      for (size_t pos = message.find(token); pos != std::string_view::npos; pos = message.find(token, pos + 1)) {
        // Whole tokens only: "app.py:4" must not link inside "app.py:42".
        size_t end = pos + token.size();
        bool digit_after = end < message.size() && message[end] >= '0' && message[end] <= '9';
        bool path_before = pos > 0 && (message[pos - 1] == '/' || std::isalnum(static_cast<unsigned char>(message[pos - 1])));
        bool taken = std::any_of(hits.begin(), hits.end(), [&](const Hit& h) { return pos < h.pos + h.len && h.pos < end; });
        if (!digit_after && !path_before && !taken) {
          found = Hit{pos, token.size(), t.id};
          break;
        }
      }
      if (found) break;
    }
    if (found) {
      hits.push_back(*found);
    } else {
      unmentioned.push_back(&t);
    }
  }
  std::sort(hits.begin(), hits.end(), [](const Hit& a, const Hit& b) { return a.pos < b.pos; });
  std::string out;
  size_t prev = 0;
  for (const auto& h : hits) {
    out += escape_message(message.substr(prev, h.pos - prev));
    out += fmt::format("[{}]({})", escape_message(message.substr(h.pos, h.len)), h.id);
    prev = h.pos + h.len;
  }
  out += escape_message(message.substr(prev));
  end_sentence(out);
  if (!unmentioned.empty()) {
    out += " Evidence: ";
    for (size_t i = 0; i < unmentioned.size(); ++i) {
      if (i) out += ", ";
      out += fmt::format("[{}]({})", escape_message(unmentioned[i]->token), unmentioned[i]->id);
    }
    out += '.';
  }
  return out;
}

ordered_json artifact(const std::string& file) {
  return ordered_json{{"uri", encode_path(file)}, {"uriBaseId", kSrcRoot}};
}

ordered_json region(uint32_t line, uint32_t column, uint32_t end_line, uint32_t end_column) {
  ordered_json r{{"startLine", line}};
  if (column > 0) r["startColumn"] = column;
  if (end_line >= line && end_line > 0) {
    r["endLine"] = end_line;
    // endColumn is exclusive, as ours is; an empty range on one line is not a region GitHub accepts.
    if (end_column > 0 && column > 0 && (end_line > line || end_column > column)) r["endColumn"] = end_column;
  }
  return r;
}

std::string level_name(Level l) { return std::string(to_string(l)); }

ordered_json rule_json(const rules::CheckDoc& d, const SarifOptions& o) {
  ordered_json r;
  r["id"] = d.id;
  r["name"] = d.name;
  r["shortDescription"] = {{"text", d.short_description}};
  r["fullDescription"] = {{"text", d.full_description}};
  r["helpUri"] = o.docs_base_uri + d.id + ".md";
  r["help"] = {{"text", rules::render_check_text(d, o.docs_base_uri)}, {"markdown", rules::render_check_markdown(d)}};
  r["defaultConfiguration"] = {{"level", level_name(d.default_level())}};
  r["properties"] = {{"tags", d.tags}, {"precision", d.precision}};
  return r;
}

// A rule that has no documentation pack (a --rules overlay that judges a check gapmap does not
// document) still needs a descriptor for ruleIndex to point at.
ordered_json bare_rule_json(const std::string& id, const std::string& check) {
  std::string text = check.empty() ? fmt::format("gapmap check {}.", id) : fmt::format("gapmap check {} ({}).", id, check);
  ordered_json r;
  r["id"] = id;
  r["shortDescription"] = {{"text", text}};
  r["fullDescription"] = {{"text", text}};
  r["help"] = {{"text", text}, {"markdown", text}};
  r["defaultConfiguration"] = {{"level", "warning"}};
  r["properties"] = {{"tags", {"reliability", "llm"}}, {"precision", "medium"}};
  return r;
}

std::optional<size_t> gzip_size(std::string_view data, size_t stop_after) {
  z_stream zs{};
  if (deflateInit2(&zs, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) return std::nullopt;
  std::array<unsigned char, 65536> out{};
  size_t total = 0;
  size_t offset = 0;
  int rc = Z_OK;
  while (rc != Z_STREAM_END) {
    // zlib's avail_in is 32-bit: feed in slices.
    if (zs.avail_in == 0 && offset < data.size()) {
      size_t n = std::min<size_t>(data.size() - offset, 1u << 30);
      zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data() + offset));
      zs.avail_in = static_cast<uInt>(n);
      offset += n;
    }
    zs.next_out = out.data();
    zs.avail_out = static_cast<uInt>(out.size());
    rc = deflate(&zs, offset == data.size() ? Z_FINISH : Z_NO_FLUSH);
    if (rc == Z_STREAM_ERROR) break;
    total += out.size() - zs.avail_out;
    if (total > stop_after) break;
  }
  deflateEnd(&zs);
  if (rc == Z_STREAM_ERROR) return std::nullopt;
  return total;
}

}  // namespace

std::string srcroot_uri_for(const std::filesystem::path& directory) {
  std::error_code ec;
  auto abs = std::filesystem::absolute(directory, ec).lexically_normal().generic_string();
  if (ec) abs = directory.generic_string();
  if (abs.empty() || abs.back() != '/') abs += '/';
  return "file://" + encode_path(abs);
}

ordered_json to_sarif(const Report& report, const SarifOptions& o) {
  // Rules: every documented check (so dashboards know them before they fire), then any rule a
  // finding names that has no documentation.
  ordered_json rules = ordered_json::array();
  std::map<std::string, size_t> rule_index;
  std::map<std::string, const rules::CheckDoc*> doc_by_id;
  for (const auto& d : o.checks) {
    if (rule_index.contains(d.id)) continue;
    rule_index[d.id] = rules.size();
    doc_by_id[d.id] = &d;
    rules.push_back(rule_json(d, o));
  }
  std::map<std::string, std::string> undocumented;
  for (const auto& f : report.findings)
    if (!rule_index.contains(f.rule)) undocumented.emplace(f.rule, f.check);
  for (const auto& [id, check] : undocumented) {
    rule_index[id] = rules.size();
    rules.push_back(bare_rule_json(id, check));
  }

  std::map<std::string, const CallSite*> sites;
  for (const auto& s : report.call_sites) sites.emplace(s.id, &s);

  LineHashCache hashes(o.source_root);
  ordered_json results = ordered_json::array();
  for (const auto& f : report.findings) {
    ordered_json r;
    r["ruleId"] = f.rule;
    r["ruleIndex"] = rule_index.at(f.rule);
    r["level"] = level_name(f.level);

    std::string file = f.file;
    uint32_t line = f.line, column = f.column, end_line = f.end_line, end_column = f.end_column;
    // Every result needs a location for GitHub; a project-level finding without one borrows the
    // first call site's, which is where SPEC §4 points it anyway.
    if (file.empty() && !report.call_sites.empty()) {
      const auto& s = report.call_sites.front();
      file = s.file;
      line = s.line, column = s.column, end_line = s.end_line, end_column = s.end_column;
    }

    ordered_json related = ordered_json::array();
    std::vector<LinkTarget> targets;
    for (const auto& e : f.related) {
      if (e.file.empty() || related.size() >= kMaxRelated) continue;
      // Evidence at the result's own line only repeats the primary location.
      if (e.file == file && e.line == line) continue;
      int id = static_cast<int>(related.size()) + 1;
      ordered_json phys{{"artifactLocation", artifact(e.file)}};
      if (e.line > 0) phys["region"] = ordered_json{{"startLine", e.line}};
      ordered_json loc{{"id", id}, {"physicalLocation", phys}};
      if (!e.note.empty()) {
        std::string note = escape_message(e.note);
        end_sentence(note);
        loc["message"] = {{"text", note}};
      }
      related.push_back(loc);
      targets.push_back({id, e.line > 0 ? fmt::format("{}:{}", e.file, e.line) : e.file});
    }

    std::string message = f.message;
    if (message.empty()) {
      auto d = doc_by_id.find(f.rule);
      message = d != doc_by_id.end() ? d->second->short_description : f.rule;
    }
    r["message"] = {{"text", linked_message(message, targets)}};

    if (!file.empty()) {
      ordered_json phys{{"artifactLocation", artifact(file)}};
      if (line > 0) phys["region"] = region(line, column, end_line, end_column);
      r["locations"] = ordered_json::array({ordered_json{{"physicalLocation", phys}}});
    }
    if (!related.empty()) r["relatedLocations"] = related;

    ordered_json fp = ordered_json::object();
    if (auto h = hashes.hash(file, line)) fp["primaryLocationLineHash"] = *h;
    if (!f.fingerprint.empty()) fp["gapmap/v1"] = f.fingerprint;
    if (!fp.empty()) r["partialFingerprints"] = fp;

    if (f.suppressed) {
      ordered_json s{{"kind", "inSource"}};
      if (!f.suppression_reason.empty()) s["justification"] = f.suppression_reason;
      r["suppressions"] = ordered_json::array({s});
    }
    if (o.baseline_used) r["baselineState"] = f.baseline ? "unchanged" : "new";

    ordered_json props{{"check", f.check}};
    if (!f.call_site.empty()) {
      props["callSite"] = f.call_site;
      if (auto it = sites.find(f.call_site); it != sites.end()) {
        const CallSite& s = *it->second;
        props["provider"] = s.provider;
        if (s.model) props["model"] = *s.model;
        props["tier"] = s.tier;
        if (s.cell) {
          props["cell"] = *s.cell;
          props["cellLine"] = *s.cell_line;
        }
      }
    }
    r["properties"] = props;
    results.push_back(std::move(r));
  }

  // Code scanning's ingestion rules (GH1004) review runs of more than o.max_kept_results results: keep
  // the most severe (errors, then warnings, then notes; in report order within a level) and say
  // how many were left out.
  size_t left_out = 0;
  if (results.size() > o.max_kept_results) {
    auto rank = [](const ordered_json& r) {
      const std::string& level = r["level"].get_ref<const std::string&>();
      return level == "error" ? 0 : level == "warning" ? 1 : 2;
    };
    std::vector<size_t> order(results.size());
    for (size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return rank(results[a]) < rank(results[b]); });
    order.resize(o.max_kept_results);
    std::sort(order.begin(), order.end());
    ordered_json kept = ordered_json::array();
    for (size_t i : order) kept.push_back(std::move(results[i]));
    left_out = results.size() - o.max_kept_results;
    results = std::move(kept);
  }

  // Files gapmap could not read or parse are tool notifications, not results: they are about
  // the scan, not about the code.
  ordered_json notifications = ordered_json::array();
  if (left_out)
    notifications.push_back(ordered_json{
        {"level", "warning"},
        {"message",
         {{"text", fmt::format("{} less severe results were left out: code scanning accepts at most {} results per run. "
                               "The JSON report has them all.",
                               left_out, o.max_kept_results)}}}});
  for (const auto& e : report.errors) {
    std::string text = escape_message(e.message);
    end_sentence(text);
    ordered_json n{{"level", "warning"}, {"message", {{"text", text.empty() ? "Scan problem." : text}}}};
    if (!e.file.empty()) {
      ordered_json phys{{"artifactLocation", artifact(e.file)}};
      if (e.line && *e.line > 0) phys["region"] = ordered_json{{"startLine", *e.line}};
      n["locations"] = ordered_json::array({ordered_json{{"physicalLocation", phys}}});
    }
    notifications.push_back(std::move(n));
  }

  std::string version = report.tool_version.empty() ? std::string(GAPMAP_VERSION) : report.tool_version;
  ordered_json driver;
  driver["name"] = "gapmap";
  driver["version"] = version;
  driver["semanticVersion"] = version;
  driver["informationUri"] = o.information_uri;
  driver["rules"] = rules;

  ordered_json srcroot;
  if (!o.srcroot_uri.empty()) srcroot["uri"] = o.srcroot_uri;
  srcroot["description"] = {{"text", "The root of the scanned tree; result paths are relative to it."}};

  ordered_json invocation{{"executionSuccessful", true}};
  if (!notifications.empty()) invocation["toolExecutionNotifications"] = notifications;

  ordered_json run;
  run["tool"] = {{"driver", driver}};
  run["automationDetails"] = {{"id", o.category}};
  run["originalUriBaseIds"] = {{kSrcRoot, srcroot}};
  run["columnKind"] = "unicodeCodePoints";
  run["invocations"] = ordered_json::array({invocation});
  run["results"] = results;

  ordered_json log;
  log["$schema"] = kSchema;
  log["version"] = "2.1.0";
  log["runs"] = ordered_json::array({run});
  return log;
}

std::string render_sarif(const Report& report, const SarifOptions& o) {
  if (report.findings.size() > o.max_results)
    throw SarifLimitError(fmt::format(
        "SARIF would hold {} results, more than the {} per run that GitHub code scanning accepts; split the scan "
        "by path (--include/--exclude, one --sarif-category per part) or raise the tier so fewer findings are reported",
        report.findings.size(), o.max_results));
  // Code, notes and paths come from untrusted files: invalid UTF-8 becomes U+FFFD instead of an exception.
  std::string text = to_sarif(report, o).dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
  auto gz = gzip_size(text, o.max_gzip_bytes);
  if (!gz) throw std::runtime_error("SARIF: zlib could not compress the log to check its size");
  if (*gz > o.max_gzip_bytes)
    throw SarifLimitError(fmt::format(
        "SARIF is {} bytes ({}+ gzipped), over the {} gzipped bytes GitHub code scanning accepts; split the scan by "
        "path (--include/--exclude, one --sarif-category per part)",
        text.size(), *gz, o.max_gzip_bytes));
  return text;
}

}  // namespace gapmap::report
