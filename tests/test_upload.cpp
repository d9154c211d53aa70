// gapmap upload: library API and the CLI end to end, both against a real HTTP server on loopback
// (tests/support/http_test_server.h) so that libcurl, retries and polling run for real.
#include <doctest/doctest.h>

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "support/http_test_server.h"
#include "upload/base64.h"
#include "upload/code_scanning.h"
#include "upload/config.h"
#include "upload/gzip.h"
#include "upload/retry.h"
#include "upload/sarif_file.h"

namespace {

namespace up = gapmap::upload;
using gapmap::test::HttpTestServer;
using gapmap::test::RecordedRequest;
using std::chrono::milliseconds;
using Json = nlohmann::json;

// Distinctive so that any leak into output or messages is unambiguous.
constexpr const char* kToken = "ghs_TestTokenThatMustNeverBePrinted0123";
constexpr const char* kSha = "0123456789abcdef0123456789abcdef01234567";
constexpr const char* kRepo = "octo-org/octo-repo";
constexpr const char* kRef = "refs/heads/main";
constexpr const char* kSarifPath = "/repos/octo-org/octo-repo/code-scanning/sarifs";

const std::string kSarif = R"({
  "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
  "version": "2.1.0",
  "runs": [{"tool": {"driver": {"name": "gapmap", "rules": []}}, "results": []}]
}
)";

// A directory under the system temp dir, removed with everything in it.
class TempDir {
 public:
  TempDir() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "gapmap-upload-XXXXXX").string();
    if (::mkdtemp(tmpl.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    path_ = tmpl;
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  std::string write(const std::string& name, const std::string& content) const {
    const auto p = path_ / name;
    std::ofstream(p, std::ios::binary) << content;
    return p.string();
  }
  std::filesystem::path path() const { return path_; }

 private:
  std::filesystem::path path_;
};

std::string read_file(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// Independent of the encoder under test.
std::string base64_decode(const std::string& in) {
  const std::string alphabet =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  uint32_t acc = 0;
  int bits = 0;
  for (const char c : in) {
    if (c == '=') break;
    const auto v = alphabet.find(c);
    if (v == std::string::npos) throw std::runtime_error("bad base64 character");
    acc = (acc << 6) | static_cast<uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((acc >> bits) & 0xFF);
    }
  }
  return out;
}

up::EnvLookup env_of(std::map<std::string, std::string> vars) {
  return [vars = std::move(vars)](const std::string& name) -> std::optional<std::string> {
    const auto it = vars.find(name);
    if (it == vars.end()) return std::nullopt;
    return it->second;
  };
}

up::UploadConfig config_for(const std::string& api_url) {
  up::UploadConfig c;
  c.sarif_path = "results.sarif";
  c.api_url = api_url;
  c.repository = kRepo;
  c.ref = kRef;
  c.commit_sha = kSha;
  c.token = kToken;
  return c;
}

// Records instead of sleeping: library tests assert the delays and stay fast.
struct Recorder {
  std::vector<milliseconds> sleeps;
  std::vector<std::pair<up::NoticeLevel, std::string>> notices;

  up::ClientTuning tuning() {
    up::ClientTuning t;
    t.retry.initial_backoff = milliseconds(100);
    t.retry.max_backoff = milliseconds(1'000);
    t.poll.initial_interval = milliseconds(10);
    t.poll.max_interval = milliseconds(40);
    t.poll.timeout = milliseconds(1'000);
    t.sleep = [this](milliseconds d) { sleeps.push_back(d); };
    return t;
  }
  up::NoticeSink sink() {
    return [this](up::NoticeLevel l, const std::string& m) { notices.emplace_back(l, m); };
  }
  std::string all_notices() const {
    std::string s;
    for (const auto& [l, m] : notices) s += m + "\n";
    return s;
  }
};

up::PreparedSarif prepared(const std::string& text = kSarif) {
  up::PreparedSarif p;
  p.raw_bytes = text.size();
  p.gzipped = up::gzip_compress(text);
  return p;
}

const std::string kAccepted =
    R"({"id":"47177e22-5596-11eb-80a1-c1e54ef945c6","url":"https://api.github.com/repos/octo-org/octo-repo/code-scanning/sarifs/47177e22-5596-11eb-80a1-c1e54ef945c6"})";
constexpr const char* kSarifId = "47177e22-5596-11eb-80a1-c1e54ef945c6";

bool contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

}  // namespace

TEST_CASE("upload: base64 matches RFC 4648 test vectors") {
  CHECK(up::base64_encode("") == "");
  CHECK(up::base64_encode("f") == "Zg==");
  CHECK(up::base64_encode("fo") == "Zm8=");
  CHECK(up::base64_encode("foo") == "Zm9v");
  CHECK(up::base64_encode("foob") == "Zm9vYg==");
  CHECK(up::base64_encode("fooba") == "Zm9vYmE=");
  CHECK(up::base64_encode("foobar") == "Zm9vYmFy");
  std::string all_bytes;
  for (int i = 0; i < 256; ++i) all_bytes += static_cast<char>(i);
  CHECK(up::base64_encode("\xff\xfe\xfd") == "//79");
  CHECK(base64_decode(up::base64_encode(all_bytes)) == all_bytes);
}

TEST_CASE("upload: gzip round-trips through zlib and writes a gzip header") {
  for (const std::string& input : {std::string(), kSarif, std::string(300'000, 'a')}) {
    const std::string gz = up::gzip_compress(input);
    REQUIRE(gz.size() >= 18);
    CHECK(static_cast<unsigned char>(gz[0]) == 0x1f);  // RFC 1952 magic, not zlib framing
    CHECK(static_cast<unsigned char>(gz[1]) == 0x8b);
    CHECK(up::gunzip(gz) == input);
  }
  CHECK(up::gzip_compress(std::string(300'000, 'a')).size() < 5'000);
  CHECK_THROWS_AS(up::gunzip("not gzip at all"), up::GzipError);
  const std::string gz = up::gzip_compress(kSarif);
  CHECK_THROWS_AS(up::gunzip(gz.substr(0, gz.size() / 2)), up::GzipError);
}

TEST_CASE("upload: refs, commit SHAs, repositories and API URLs are validated") {
  for (const char* ok : {"refs/heads/main", "refs/heads/feature/x-1", "refs/tags/v1.2.3",
                         "refs/pull/42/merge", "refs/pull/7/head"}) {
    CHECK_MESSAGE(!up::validate_ref(ok), ok);
  }
  for (const char* bad : {"", "main", "refs/heads/", "refs/heads/a..b", "refs/heads/a b",
                          "refs/tags/x.lock", "refs/pull/x/merge", "refs/pull/42/other",
                          "refs/pull//merge", "refs/remotes/origin/main", "heads/main"}) {
    const auto e = up::validate_ref(bad);
    REQUIRE_MESSAGE(e, bad);
    CHECK(contains(*e, "refs/heads/BRANCH"));
  }
  CHECK(contains(*up::validate_ref("main"), "did you mean refs/heads/main"));

  CHECK(!up::validate_commit_sha(kSha));
  CHECK(!up::validate_commit_sha("0123456789ABCDEF0123456789ABCDEF01234567"));
  CHECK(up::validate_commit_sha("0123456"));
  CHECK(up::validate_commit_sha("g123456789abcdef0123456789abcdef01234567"));
  CHECK(contains(*up::validate_commit_sha("main"), "40"));

  CHECK(!up::validate_repository("octo-org/octo-repo"));
  CHECK(!up::validate_repository("a/b.c_d"));
  for (const char* bad : {"", "octo", "/x", "x/", "a/b/c", "a/..", "a b/c", "a/b?c"}) {
    CHECK_MESSAGE(up::validate_repository(bad), bad);
  }

  CHECK(!up::validate_api_url("https://api.github.com"));
  CHECK(!up::validate_api_url("https://ghe.example.com/api/v3"));
  CHECK(!up::validate_api_url("http://127.0.0.1:8080"));
  for (const char* bad : {"", "api.github.com", "ftp://x", "https://", "https://u:p@host",
                          "https://host/api?x=1"}) {
    CHECK_MESSAGE(up::validate_api_url(bad), bad);
  }
  CHECK(up::normalize_api_url("https://ghe.example.com/api/v3//") ==
        "https://ghe.example.com/api/v3");
}

TEST_CASE("upload: configuration falls back to the GitHub Actions environment") {
  const auto actions_env = env_of({{"GITHUB_REPOSITORY", kRepo},
                                   {"GITHUB_REF", "refs/pull/12/merge"},
                                   {"GITHUB_SHA", kSha},
                                   {"GITHUB_API_URL", "https://ghe.example.com/api/v3/"},
                                   {"GITHUB_TOKEN", kToken}});
  up::UploadArgs args;
  args.sarif_path = "out.sarif";

  SUBCASE("all from the environment") {
    const auto r = up::resolve_config(args, actions_env);
    REQUIRE_MESSAGE(r.config, (r.errors.empty() ? "" : r.errors.front()));
    CHECK(r.config->repository == kRepo);
    CHECK(r.config->ref == "refs/pull/12/merge");
    CHECK(r.config->commit_sha == kSha);
    CHECK(r.config->api_url == "https://ghe.example.com/api/v3");
    CHECK(r.config->token == kToken);
    CHECK(!r.config->checkout_uri);
  }
  SUBCASE("flags win over the environment") {
    args.repository = "other/repo";
    args.ref = "refs/tags/v1";
    args.commit_sha = std::string(40, 'a');
    args.api_url = "http://127.0.0.1:1";
    args.checkout_uri = "file:///src/octo-repo";
    const auto r = up::resolve_config(args, actions_env);
    REQUIRE(r.config);
    CHECK(r.config->repository == "other/repo");
    CHECK(r.config->ref == "refs/tags/v1");
    CHECK(r.config->commit_sha == std::string(40, 'a'));
    CHECK(r.config->api_url == "http://127.0.0.1:1");
    CHECK(r.config->checkout_uri == "file:///src/octo-repo");
  }
  SUBCASE("default API URL") {
    const auto r = up::resolve_config(
        args, env_of({{"GITHUB_REPOSITORY", kRepo}, {"GITHUB_REF", kRef}, {"GITHUB_SHA", kSha},
                      {"GITHUB_TOKEN", kToken}}));
    REQUIRE(r.config);
    CHECK(r.config->api_url == "https://api.github.com");
  }
  SUBCASE("every missing value is reported") {
    const auto r = up::resolve_config(up::UploadArgs{}, env_of({}));
    CHECK(!r.config);
    std::string all;
    for (const auto& e : r.errors) all += e + "\n";
    CHECK(contains(all, "--sarif"));
    CHECK(contains(all, "GITHUB_REPOSITORY"));
    CHECK(contains(all, "GITHUB_REF"));
    CHECK(contains(all, "GITHUB_SHA"));
    CHECK(contains(all, "GITHUB_TOKEN"));
  }
  SUBCASE("invalid values are reported") {
    args.ref = "main";
    args.commit_sha = "abc123";
    const auto r = up::resolve_config(args, actions_env);
    CHECK(!r.config);
    REQUIRE(r.errors.size() == 2);
    CHECK(contains(r.errors[0], "invalid ref 'main'"));
    CHECK(contains(r.errors[1], "invalid commit SHA 'abc123'"));
  }
}

TEST_CASE("upload: a missing token names the variable it was read from") {
  up::UploadArgs args;
  args.sarif_path = "out.sarif";
  args.repository = kRepo;
  args.ref = kRef;
  args.commit_sha = kSha;

  SUBCASE("default variable") {
    const auto r = up::resolve_config(args, env_of({}));
    REQUIRE(r.errors.size() == 1);
    CHECK(contains(r.errors[0], "GITHUB_TOKEN"));
  }
  SUBCASE("empty counts as missing") {
    const auto r = up::resolve_config(args, env_of({{"GITHUB_TOKEN", ""}}));
    REQUIRE(r.errors.size() == 1);
    CHECK(contains(r.errors[0], "GITHUB_TOKEN"));
  }
  SUBCASE("--token-env") {
    args.token_env = "GHES_UPLOAD_TOKEN";
    const auto missing = up::resolve_config(args, env_of({{"GITHUB_TOKEN", kToken}}));
    REQUIRE(missing.errors.size() == 1);
    CHECK(contains(missing.errors[0], "GHES_UPLOAD_TOKEN"));
    const auto found = up::resolve_config(args, env_of({{"GHES_UPLOAD_TOKEN", " tok\n"}}));
    REQUIRE(found.config);
    CHECK(found.config->token == "tok");  // a pasted trailing newline is harmless
    CHECK(found.config->token_env == "GHES_UPLOAD_TOKEN");
  }
  SUBCASE("a token that would break the header is refused without echoing it") {
    const auto r = up::resolve_config(args, env_of({{"GITHUB_TOKEN", "abc\r\nX-Evil: 1"}}));
    REQUIRE(r.errors.size() == 1);
    CHECK(contains(r.errors[0], "GITHUB_TOKEN"));
    CHECK(!contains(r.errors[0], "Evil"));
  }
}

TEST_CASE("upload: SARIF files are checked before anything is sent") {
  const TempDir dir;
  SUBCASE("valid") {
    const auto path = dir.write("ok.sarif", kSarif);
    const auto r = up::prepare_sarif(path);
    REQUIRE_MESSAGE(r.sarif, r.error);
    CHECK(r.sarif->raw_bytes == kSarif.size());
    CHECK(up::gunzip(r.sarif->gzipped) == kSarif);
  }
  const auto rejected = [&](const std::string& name, const std::string& content,
                            const std::string& why) {
    const auto path = dir.write(name, content);
    const auto r = up::prepare_sarif(path);
    CHECK(!r.sarif);
    CHECK_MESSAGE(contains(r.error, path), r.error);
    CHECK_MESSAGE(contains(r.error, why), r.error);
  };
  SUBCASE("not JSON") { rejected("bad.sarif", "{\"version\": ", "not valid JSON"); }
  SUBCASE("empty") { rejected("empty.sarif", "", "not valid JSON"); }
  SUBCASE("not an object") { rejected("arr.sarif", "[]", "not an object"); }
  SUBCASE("wrong version") {
    rejected("v.sarif", R"({"version":"2.0.0","runs":[]})", "\"2.0.0\"");
  }
  SUBCASE("no version") { rejected("nv.sarif", R"({"runs":[]})", "\"version\""); }
  SUBCASE("no runs") { rejected("nr.sarif", R"({"version":"2.1.0"})", "\"runs\""); }
  SUBCASE("runs not an array") {
    rejected("ro.sarif", R"({"version":"2.1.0","runs":{}})", "not an array");
  }
  SUBCASE("missing file") {
    const auto path = (dir.path() / "absent.sarif").string();
    const auto r = up::prepare_sarif(path);
    CHECK(!r.sarif);
    CHECK(contains(r.error, path));
  }
  SUBCASE("directory") {
    const auto r = up::prepare_sarif(dir.path().string());
    CHECK(contains(r.error, "directory"));
  }
  SUBCASE("gzip over the limit") {
    // Incompressible text inside a valid SARIF, with the limit lowered to keep the test small.
    std::string noise;
    uint64_t x = 88172645463325252ULL;
    for (int i = 0; i < 20'000; ++i) {
      x ^= x << 13;
      x ^= x >> 7;
      x ^= x << 17;
      noise += "0123456789abcdef"[x & 15];
    }
    const auto path = dir.write(
        "big.sarif", R"({"version":"2.1.0","runs":[],"properties":{"n":")" + noise + "\"}}");
    const auto r = up::prepare_sarif(path, 4'096);
    CHECK(!r.sarif);
    CHECK(contains(r.error, path));
    CHECK(contains(r.error, "too large"));
    CHECK(up::prepare_sarif(path).sarif);  // well under the real 10 MB limit
    CHECK(up::kMaxGzipBytes == 10u * 1024 * 1024);
  }
}

TEST_CASE("upload: Retry-After parsing and exponential backoff with jitter") {
  using std::chrono::seconds;
  CHECK(up::parse_retry_after("1") == seconds(1));
  CHECK(up::parse_retry_after(" 120 ") == seconds(120));
  CHECK(!up::parse_retry_after(""));
  CHECK(!up::parse_retry_after("-1"));
  CHECK(!up::parse_retry_after("1.5"));
  CHECK(!up::parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT"));
  CHECK(up::parse_retry_after("99999999999999999999999").has_value());

  up::RetryPolicy p;
  p.initial_backoff = milliseconds(100);
  p.max_backoff = milliseconds(1'000);
  p.max_retry_after = milliseconds(5'000);
  std::mt19937_64 rng(42);
  for (int i = 0; i < 50; ++i) {
    const auto d1 = up::backoff_delay(p, 1, rng);
    const auto d3 = up::backoff_delay(p, 3, rng);
    const auto d9 = up::backoff_delay(p, 9, rng);
    CHECK((d1 >= milliseconds(50) && d1 <= milliseconds(100)));
    CHECK((d3 >= milliseconds(200) && d3 <= milliseconds(400)));
    CHECK((d9 >= milliseconds(500) && d9 <= milliseconds(1'000)));
  }
  up::RetryPolicy huge;
  huge.initial_backoff = milliseconds(INT64_MAX / 3);
  huge.max_backoff = milliseconds(INT64_MAX);
  CHECK(up::backoff_delay(huge, 60, rng) > milliseconds(0));  // saturates instead of overflowing
  CHECK(up::backoff_delay(p, 1'000, rng) <= milliseconds(1'000));
  CHECK(up::retry_delay(p, 1, seconds(2), rng) == milliseconds(2'000));
  CHECK(up::retry_delay(p, 1, seconds(3600), rng) == milliseconds(5'000));  // capped
}

TEST_CASE("upload: secrets are scrubbed from text") {
  CHECK(up::scrub_secret("a TOKEN b TOKENTOKEN", "TOKEN") == "a *** b ******");
  CHECK(up::scrub_secret("nothing", "") == "nothing");
  CHECK(up::scrub_secret("x*y", "*") == "x***y");
}

TEST_CASE("upload: library submit sends the documented request") {
  HttpTestServer server;
  server.enqueue_json(202, kAccepted);
  Recorder rec;
  auto config = config_for(server.url());
  bool with_checkout = false;
  SUBCASE("without checkout_uri") {}
  SUBCASE("with checkout_uri") {
    with_checkout = true;
    config.checkout_uri = "file:///home/runner/checkout/octo-repo";
  }
  const std::string sarif_text = kSarif + std::string(2'000, ' ');  // > curl's Expect threshold
  const auto started = std::chrono::system_clock::time_point(std::chrono::seconds(1714555800));
  up::CodeScanningClient client(config, rec.tuning(), rec.sink());
  const auto result = client.submit(prepared(sarif_text), started);

  REQUIRE_MESSAGE(result.outcome == up::Outcome::Ok, result.message);
  CHECK(result.sarif_id == kSarifId);
  CHECK(contains(result.url, kSarifId));
  CHECK(result.attempts == 1);
  CHECK(rec.sleeps.empty());

  const auto reqs = server.requests();
  REQUIRE(reqs.size() == 1);
  const RecordedRequest& req = reqs[0];
  CHECK(req.method == "POST");
  CHECK(req.target == kSarifPath);
  CHECK(req.header("accept") == "application/vnd.github+json");
  CHECK(req.header("x-github-api-version") == "2022-11-28");
  CHECK(req.header("authorization") == std::string("Bearer ") + kToken);
  CHECK(req.header("user-agent") == "gapmap/" GAPMAP_VERSION);
  CHECK(req.header("content-type") == "application/json");
  CHECK(!req.has_header("expect"));

  const Json body = Json::parse(req.body);
  CHECK(body.at("commit_sha") == kSha);
  CHECK(body.at("ref") == kRef);
  CHECK(body.at("tool_name") == "gapmap");
  CHECK(body.at("started_at") == "2024-05-01T09:30:00Z");
  CHECK(body.contains("checkout_uri") == with_checkout);
  if (with_checkout) CHECK(body.at("checkout_uri") == *config.checkout_uri);
  const std::string gz = base64_decode(body.at("sarif").get<std::string>());
  CHECK(up::gunzip(gz) == sarif_text);

  // Only the plain-HTTP warning is expected, and nothing carries the token.
  CHECK(!contains(rec.all_notices(), kToken));
  int warnings = 0;
  for (const auto& [level, msg] : rec.notices) {
    if (level == up::NoticeLevel::Warning) {
      ++warnings;
      CHECK(contains(msg, "plain HTTP"));
    }
  }
  CHECK(warnings == 1);
}

TEST_CASE("upload: library retries a 503 honouring Retry-After") {
  HttpTestServer server;
  server.enqueue_json(503, R"({"message":"Service unavailable"})", {{"Retry-After", "1"}});
  server.enqueue_json(202, kAccepted);
  Recorder rec;
  up::CodeScanningClient client(config_for(server.url()), rec.tuning(), rec.sink());
  const auto result = client.submit(prepared());
  REQUIRE_MESSAGE(result.outcome == up::Outcome::Ok, result.message);
  CHECK(result.attempts == 2);
  CHECK(server.request_count() == 2);
  REQUIRE(rec.sleeps.size() == 1);
  CHECK(rec.sleeps[0] == milliseconds(1'000));
  CHECK(contains(rec.all_notices(), "HTTP 503"));
  CHECK(contains(rec.all_notices(), "Retry-After"));
}

TEST_CASE("upload: library retries 429 and 5xx with growing backoff, up to the attempt limit") {
  HttpTestServer server;
  Recorder rec;
  auto tuning = rec.tuning();

  SUBCASE("recovers") {
    server.enqueue_json(429, R"({"message":"slow down"})");
    server.enqueue_json(502, "<html>bad gateway</html>");
    server.enqueue_json(202, kAccepted);
    up::CodeScanningClient client(config_for(server.url()), tuning, rec.sink());
    const auto result = client.submit(prepared());
    CHECK(result.outcome == up::Outcome::Ok);
    CHECK(result.attempts == 3);
    REQUIRE(rec.sleeps.size() == 2);
    CHECK((rec.sleeps[0] >= milliseconds(50) && rec.sleeps[0] <= milliseconds(100)));
    CHECK((rec.sleeps[1] >= milliseconds(100) && rec.sleeps[1] <= milliseconds(200)));
  }
  SUBCASE("gives up") {
    for (int i = 0; i < 6; ++i) server.enqueue_json(500, R"({"message":"boom"})");
    up::CodeScanningClient client(config_for(server.url()), tuning, rec.sink());
    const auto result = client.submit(prepared());
    CHECK(result.outcome == up::Outcome::Failed);
    CHECK(result.attempts == 5);
    CHECK(result.http_status == 500);
    CHECK(server.request_count() == 5);
    CHECK(rec.sleeps.size() == 4);
    CHECK(contains(result.message, "HTTP 500"));
    CHECK(contains(result.message, "after 5 attempts"));
    CHECK(contains(result.message, "boom"));
  }
  SUBCASE("403 rate limit is retried") {
    server.enqueue_json(403, R"({"message":"You have exceeded a secondary rate limit"})",
                        {{"Retry-After", "0"}});
    server.enqueue_json(202, kAccepted);
    up::CodeScanningClient client(config_for(server.url()), tuning, rec.sink());
    CHECK(client.submit(prepared()).outcome == up::Outcome::Ok);
    CHECK(server.request_count() == 2);
  }
}

TEST_CASE("upload: library retries network errors") {
  uint16_t dead_port = 0;
  {
    HttpTestServer gone;
    dead_port = gone.port();
  }  // nothing listens there any more
  Recorder rec;
  const auto config = config_for("http://127.0.0.1:" + std::to_string(dead_port));
  auto tuning = rec.tuning();
  tuning.retry.max_attempts = 3;
  up::CodeScanningClient client(config, tuning, rec.sink());
  const auto result = client.submit(prepared());
  CHECK(result.outcome == up::Outcome::Failed);
  CHECK(result.attempts == 3);
  CHECK(result.http_status == 0);
  CHECK(rec.sleeps.size() == 2);
  CHECK(contains(result.message, "could not reach"));
  CHECK(contains(result.message, "after 3 attempts"));
}

TEST_CASE("upload: library explains client errors without retrying or leaking the token") {
  struct Case {
    int status;
    std::vector<std::string> expected;
  };
  const std::vector<Case> cases = {
      {400, {"HTTP 400", "invalid", "SARIF"}},
      {401, {"HTTP 401", "GITHUB_TOKEN"}},
      {403, {"HTTP 403", "security_events", "security-events: write", "Advanced Security"}},
      {404, {"HTTP 404", "octo-org/octo-repo", "not found", "cannot see it", "/api/v3"}},
      {410, {"HTTP 410", "2022-11-28"}},
      {413, {"HTTP 413", "too large", "gzip"}},
      {422, {"HTTP 422", kSha}},
      {301, {"HTTP 301", "--api-url"}},
  };
  for (const auto& c : cases) {
    CAPTURE(c.status);
    HttpTestServer server;
    // A server echoing the credential must not make us print it.
    server.enqueue_json(c.status,
                        Json{{"message", std::string("echo Bearer ") + kToken}}.dump(),
                        {{"Location", "https://elsewhere.example/" + std::string(kToken)}});
    Recorder rec;
    up::CodeScanningClient client(config_for(server.url()), rec.tuning(), rec.sink());
    const auto result = client.submit(prepared());
    CHECK(result.outcome == up::Outcome::Failed);
    CHECK(result.http_status == c.status);
    CHECK(server.request_count() == 1);
    for (const auto& e : c.expected) CHECK_MESSAGE(contains(result.message, e), result.message);
    CHECK(contains(result.message, "echo Bearer ***"));
    CHECK(!contains(result.message, kToken));
    CHECK(!contains(rec.all_notices(), kToken));
  }
}

TEST_CASE("upload: library submit refuses an invalid configuration without a request") {
  HttpTestServer server;
  auto config = config_for(server.url());
  config.ref = "main";
  config.commit_sha = "abc";
  Recorder rec;
  up::CodeScanningClient client(config, rec.tuning(), rec.sink());
  const auto result = client.submit(prepared());
  CHECK(result.outcome == up::Outcome::InvalidInput);
  CHECK(contains(result.message, "invalid ref"));
  CHECK(contains(result.message, "invalid commit SHA"));
  CHECK(server.request_count() == 0);
}

TEST_CASE("upload: library wait polls the status endpoint until done") {
  HttpTestServer server;
  Recorder rec;
  const std::string status_path = std::string(kSarifPath) + "/" + kSarifId;
  const auto pending = R"({"processing_status":"pending"})";

  SUBCASE("pending, pending, complete") {
    server.enqueue_json(200, pending);
    server.enqueue_json(200, pending);
    server.enqueue_json(
        200,
        R"({"processing_status":"complete","analyses_url":"https://api.github.com/x/analyses?sarif_id=1"})");
    up::CodeScanningClient client(config_for(server.url()), rec.tuning(), rec.sink());
    const auto r = client.wait_for_processing(kSarifId);
    CHECK(r.outcome == up::Outcome::Ok);
    CHECK(r.processing_status == "complete");
    CHECK(contains(r.analyses_url, "analyses"));
    const auto reqs = server.requests();
    REQUIRE(reqs.size() == 3);
    for (const auto& req : reqs) {
      CHECK(req.method == "GET");
      CHECK(req.target == status_path);
      CHECK(req.header("authorization") == std::string("Bearer ") + kToken);
      CHECK(req.header("x-github-api-version") == "2022-11-28");
    }
    // Growing intervals: 10, 15, 22 ms with the test tuning.
    REQUIRE(rec.sleeps.size() == 3);
    CHECK(rec.sleeps[0] == milliseconds(10));
    CHECK(rec.sleeps[1] > rec.sleeps[0]);
    CHECK(rec.sleeps[2] > rec.sleeps[1]);
  }
  SUBCASE("failed, with errors") {
    server.enqueue_json(200, pending);
    server.enqueue_json(
        200, Json{{"processing_status", "failed"},
                  {"errors", {"locationFromSarifResult: expected artifact location",
                              std::string("token ") + kToken}}}
                 .dump());
    up::CodeScanningClient client(config_for(server.url()), rec.tuning(), rec.sink());
    const auto r = client.wait_for_processing(kSarifId);
    CHECK(r.outcome == up::Outcome::Failed);
    CHECK(r.processing_status == "failed");
    REQUIRE(r.errors.size() == 2);
    CHECK(r.errors[0] == "locationFromSarifResult: expected artifact location");
    CHECK(r.errors[1] == "token ***");
    CHECK(contains(r.message, kSarifId));
  }
  SUBCASE("overall limit") {
    for (int i = 0; i < 200; ++i) server.enqueue_json(200, pending);
    auto tuning = rec.tuning();
    tuning.poll.timeout = milliseconds(100);
    up::CodeScanningClient client(config_for(server.url()), tuning, rec.sink());
    const auto r = client.wait_for_processing(kSarifId);
    CHECK(r.outcome == up::Outcome::Failed);
    CHECK(r.processing_status == "pending");
    CHECK(contains(r.message, "still being processed"));
    milliseconds total{0};
    for (const auto d : rec.sleeps) {
      CHECK(d <= milliseconds(40));  // max_interval
      total += d;
    }
    CHECK(total <= milliseconds(100));
    CHECK(rec.sleeps.size() >= 3);
  }
  SUBCASE("a brief 404 right after upload is tolerated") {
    server.enqueue_json(404, R"({"message":"Not Found"})");
    server.enqueue_json(200, R"({"processing_status":"complete"})");
    up::CodeScanningClient client(config_for(server.url()), rec.tuning(), rec.sink());
    CHECK(client.wait_for_processing(kSarifId).outcome == up::Outcome::Ok);
  }
  SUBCASE("a lasting 404 is not") {
    for (int i = 0; i < 10; ++i) server.enqueue_json(404, R"({"message":"Not Found"})");
    up::CodeScanningClient client(config_for(server.url()), rec.tuning(), rec.sink());
    const auto r = client.wait_for_processing(kSarifId);
    CHECK(r.outcome == up::Outcome::Failed);
    CHECK(contains(r.message, "not found"));
    CHECK(server.request_count() == 4);
  }
  SUBCASE("a 5xx while polling is retried") {
    server.enqueue_json(503, "{}", {{"Retry-After", "0"}});
    server.enqueue_json(200, R"({"processing_status":"complete"})");
    up::CodeScanningClient client(config_for(server.url()), rec.tuning(), rec.sink());
    CHECK(client.wait_for_processing(kSarifId).outcome == up::Outcome::Ok);
  }
  SUBCASE("an unsafe id is refused") {
    up::CodeScanningClient client(config_for(server.url()), rec.tuning(), rec.sink());
    CHECK(client.wait_for_processing("../../x").outcome == up::Outcome::InvalidInput);
    CHECK(server.request_count() == 0);
  }
}

// ---------------------------------------------------------------------------------------------
// The CLI, run as a subprocess.

#ifdef GAPMAP_BINARY
namespace {

struct ProcessResult {
  int exit_code = -1;
  std::string out, err;
  milliseconds elapsed{0};
  std::string all() const { return out + err; }
};

// Runs the gapmap binary with `args`, a clean environment (no GITHUB_*, no proxies, nothing from
// a surrounding CI job) plus `env`, and captures stdout and stderr.
ProcessResult run_gapmap(const std::vector<std::string>& args,
                         const std::map<std::string, std::string>& env) {
  const TempDir io;
  const std::string out_path = (io.path() / "stdout").string();
  const std::string err_path = (io.path() / "stderr").string();

  std::vector<std::string> env_strings;
  for (char** e = environ; *e != nullptr; ++e) {
    const std::string kv = *e;
    const std::string name = kv.substr(0, kv.find('='));
    std::string lname = name;
    for (char& c : lname) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (name.starts_with("GITHUB_") || name.starts_with("GAPMAP_UPLOAD_") ||
        name == "GHES_TOKEN" || lname.ends_with("_proxy")) {
      continue;
    }
    env_strings.push_back(kv);
  }
  for (const auto& [k, v] : env) env_strings.push_back(k + "=" + v);

  std::vector<std::string> argv_strings = {GAPMAP_BINARY};
  argv_strings.insert(argv_strings.end(), args.begin(), args.end());
  std::vector<char*> argv, envp;
  for (auto& s : argv_strings) argv.push_back(s.data());
  argv.push_back(nullptr);
  for (auto& s : env_strings) envp.push_back(s.data());
  envp.push_back(nullptr);

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                   0600);
  posix_spawn_file_actions_addopen(&actions, 2, err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                   0600);
  const auto start = std::chrono::steady_clock::now();
  pid_t pid = 0;
  const int rc = posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  ProcessResult result;
  if (rc != 0) {
    result.err = std::string("posix_spawn failed: ") + std::strerror(rc);
    return result;
  }
  // A hung child must fail the test, not hang the suite.
  int status = 0;
  for (;;) {
    const pid_t done = ::waitpid(pid, &status, WNOHANG);
    if (done == pid) break;
    if (std::chrono::steady_clock::now() - start > std::chrono::seconds(30)) {
      ::kill(pid, SIGKILL);
      ::waitpid(pid, &status, 0);
      result.err = "timed out\n";
      break;
    }
    std::this_thread::sleep_for(milliseconds(5));
  }
  result.elapsed =
      std::chrono::duration_cast<milliseconds>(std::chrono::steady_clock::now() - start);
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  result.out = read_file(out_path);
  result.err += read_file(err_path);
  return result;
}

// GitHub Actions-style environment pointing at the test server, with fast test timings.
std::map<std::string, std::string> actions_env(const HttpTestServer& server) {
  return {{"GITHUB_REPOSITORY", kRepo},  {"GITHUB_REF", kRef},
          {"GITHUB_SHA", kSha},          {"GITHUB_API_URL", server.url()},
          {"GITHUB_TOKEN", kToken},      {"GAPMAP_UPLOAD_POLL_MS", "10"},
          {"GAPMAP_UPLOAD_RETRY_MS", "10"}};
}

// Also catches sanitizer reports from an instrumented child, whose exit code alone could pass
// for an expected failure.
void check_output_clean(const ProcessResult& r) {
  CHECK_MESSAGE(!contains(r.all(), kToken), r.all());
  CHECK_MESSAGE(!contains(r.err, "Sanitizer"), r.err);
  CHECK_MESSAGE(!contains(r.err, "runtime error:"), r.err);
}

}  // namespace

TEST_CASE("upload: CLI uploads with flags or the Actions environment and prints the id") {
  const TempDir dir;
  const std::string sarif = dir.write("results.sarif", kSarif);
  HttpTestServer server;
  server.enqueue_json(202, kAccepted);

  ProcessResult r;
  std::string expected_ref = kRef;
  SUBCASE("from the environment") {
    r = run_gapmap({"upload", "--sarif", sarif, "--verbose"}, actions_env(server));
  }
  SUBCASE("from flags") {
    expected_ref = "refs/pull/5/head";
    r = run_gapmap({"upload", "--sarif", sarif, "--repo", kRepo, "--ref", expected_ref,
                    "--commit", kSha, "--api-url", server.url() + "/", "--checkout-uri",
                    "file:///src", "--token-env", "GHES_TOKEN"},
                   {{"GHES_TOKEN", kToken}});
  }
  CHECK_MESSAGE(r.exit_code == 0, r.all());
  CHECK(r.out == std::string(kSarifId) + "\n");
  CHECK(contains(r.err, "warning"));
  CHECK(contains(r.err, "plain HTTP"));
  check_output_clean(r);

  const auto reqs = server.requests();
  REQUIRE(reqs.size() == 1);
  CHECK(reqs[0].method == "POST");
  CHECK(reqs[0].target == kSarifPath);
  CHECK(reqs[0].header("authorization") == std::string("Bearer ") + kToken);
  CHECK(reqs[0].header("user-agent") == "gapmap/" GAPMAP_VERSION);
  CHECK(reqs[0].header("accept") == "application/vnd.github+json");
  CHECK(reqs[0].header("x-github-api-version") == "2022-11-28");
  const Json body = Json::parse(reqs[0].body);
  CHECK(body.at("ref") == expected_ref);
  CHECK(body.at("commit_sha") == kSha);
  CHECK(body.at("tool_name") == "gapmap");
  CHECK(body.at("started_at").get<std::string>().size() == 20);
  CHECK(up::gunzip(base64_decode(body.at("sarif").get<std::string>())) == read_file(sarif));
}

TEST_CASE("upload: CLI retries a 503 after Retry-After: 1") {
  const TempDir dir;
  const std::string sarif = dir.write("results.sarif", kSarif);
  HttpTestServer server;
  server.enqueue_json(503, R"({"message":"try later"})", {{"Retry-After", "1"}});
  server.enqueue_json(202, kAccepted);
  const auto r = run_gapmap({"upload", "--sarif", sarif}, actions_env(server));
  CHECK_MESSAGE(r.exit_code == 0, r.all());
  CHECK(r.out == std::string(kSarifId) + "\n");
  CHECK(contains(r.err, "503"));
  const auto reqs = server.requests();
  REQUIRE(reqs.size() == 2);
  CHECK(reqs[1].received_at - reqs[0].received_at >= milliseconds(900));
  check_output_clean(r);
}

TEST_CASE("upload: CLI --wait reports processing results") {
  const TempDir dir;
  const std::string sarif = dir.write("results.sarif", kSarif);
  HttpTestServer server;
  server.enqueue_json(202, kAccepted);
  server.enqueue_json(200, R"({"processing_status":"pending"})");

  SUBCASE("complete") {
    server.enqueue_json(200, R"({"processing_status":"complete"})");
    const auto r = run_gapmap({"upload", "--sarif", sarif, "--wait"}, actions_env(server));
    CHECK_MESSAGE(r.exit_code == 0, r.all());
    CHECK(r.out == std::string(kSarifId) + "\n");
    CHECK(contains(r.err, "complete"));
    CHECK(server.request_count() == 3);
    check_output_clean(r);
  }
  SUBCASE("failed") {
    server.enqueue_json(200, Json{{"processing_status", "failed"},
                                  {"errors", {"first problem in the SARIF",
                                              "second problem, token " + std::string(kToken)}}}
                                 .dump());
    const auto r = run_gapmap({"upload", "--sarif", sarif, "--wait"}, actions_env(server));
    CHECK_MESSAGE(r.exit_code == 1, r.all());
    CHECK(contains(r.err, "first problem in the SARIF"));
    CHECK(contains(r.err, "second problem, token ***"));
    check_output_clean(r);
  }
}

TEST_CASE("upload: CLI explains 413 and 403 and exits 1") {
  const TempDir dir;
  const std::string sarif = dir.write("results.sarif", kSarif);
  HttpTestServer server;
  const std::string echo = Json{{"message", std::string("bad credentials ") + kToken}}.dump();
  ProcessResult r;
  SUBCASE("413") {
    server.enqueue_json(413, echo);
    r = run_gapmap({"upload", "--sarif", sarif}, actions_env(server));
    CHECK(contains(r.err, "too large"));
  }
  SUBCASE("403") {
    server.enqueue_json(403, echo);
    r = run_gapmap({"upload", "--sarif", sarif, "--verbose"}, actions_env(server));
    CHECK(contains(r.err, "security_events"));
    CHECK(contains(r.err, "security-events: write"));
  }
  CHECK_MESSAGE(r.exit_code == 1, r.all());
  CHECK(r.out.empty());
  CHECK(server.request_count() == 1);
  check_output_clean(r);
}

TEST_CASE("upload: CLI usage and input errors exit 2 before sending anything") {
  const TempDir dir;
  const std::string sarif = dir.write("results.sarif", kSarif);
  HttpTestServer server;
  auto env = actions_env(server);
  std::vector<std::string> args = {"upload", "--sarif", sarif};
  std::string expected;

  SUBCASE("missing token") {
    env.erase("GITHUB_TOKEN");
    expected = "GITHUB_TOKEN";
  }
  SUBCASE("missing token in --token-env variable") {
    args.insert(args.end(), {"--token-env", "MY_UPLOAD_TOKEN"});
    expected = "MY_UPLOAD_TOKEN";
  }
  SUBCASE("bad ref") {
    args.insert(args.end(), {"--ref", "main"});
    expected = "refs/heads/main";
  }
  SUBCASE("bad commit") {
    env["GITHUB_SHA"] = "deadbeef";
    expected = "invalid commit SHA 'deadbeef'";
  }
  SUBCASE("bad repository") {
    args.insert(args.end(), {"--repo", "just-a-name"});
    expected = "OWNER/NAME";
  }
  SUBCASE("not SARIF 2.1.0") {
    const std::string bad = dir.write("old.sarif", R"({"version":"2.0.0","runs":[]})");
    args = {"upload", "--sarif", bad};
    expected = bad;
  }
  SUBCASE("not JSON") {
    const std::string bad = dir.write("broken.sarif", "{ nope");
    args = {"upload", "--sarif", bad};
    expected = "not valid JSON";
  }
  SUBCASE("missing file") {
    args = {"upload", "--sarif", (dir.path() / "absent.sarif").string()};
    expected = "absent.sarif";
  }
  SUBCASE("bad --wait-timeout") {
    args.insert(args.end(), {"--wait", "--wait-timeout", "0"});
    expected = "--wait-timeout";
  }
  SUBCASE("bad test hook value") {
    env["GAPMAP_UPLOAD_POLL_MS"] = "soon";
    expected = "GAPMAP_UPLOAD_POLL_MS";
  }
  SUBCASE("missing --sarif") {
    args = {"upload"};
    expected = "--sarif";
  }
  const auto r = run_gapmap(args, env);
  CHECK_MESSAGE(r.exit_code == 2, r.all());
  CHECK_MESSAGE(contains(r.err, expected), r.err);
  CHECK(r.out.empty());
  CHECK(server.request_count() == 0);
  check_output_clean(r);
}
#endif  // GAPMAP_BINARY
