#pragma once
// Runs the built gapmap binary as a user would: a child process with arguments, a working
// directory and environment, stdout and stderr captured, and a timeout so a hang fails the test
// instead of stalling the suite. Also the small file-system helpers the end-to-end tests share.
#include <nlohmann/json.hpp>

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace gapmap::test {

struct RunOptions {
  std::filesystem::path cwd = {};  // empty: the test's own working directory
  // Added to (or replacing entries of) the inherited environment.
  std::vector<std::pair<std::string, std::string>> env = {};
  std::vector<std::string> unset_env = {};  // removed from the inherited environment
  std::chrono::milliseconds timeout{std::chrono::seconds(30)};
  std::string stdin_data = {};  // fed to the child, then its stdin is closed
};

struct RunResult {
  int exit_code = -1;      // the child's exit status; -1 when it was killed by a signal
  int signal = 0;          // the signal that ended it, 0 when it exited
  bool timed_out = false;  // killed by us after RunOptions::timeout
  std::string out, err;
  std::chrono::milliseconds elapsed{0};

  // A one-line description for failure messages.
  std::string describe() const;
};

// Runs `binary args...`. Throws std::system_error when the child cannot be started at all.
RunResult run_process(const std::filesystem::path& binary, const std::vector<std::string>& args,
                      const RunOptions& options = {});

// Runs the gapmap binary under test (GAPMAP_BINARY).
RunResult run_gapmap(const std::vector<std::string>& args, const RunOptions& options = {});

// Several gapmap runs at once (each with the same options), results in the order given. The
// sanitizer build pays a noticeable start-up cost per process; independent runs overlap it.
std::vector<RunResult> run_gapmap_parallel(const std::vector<std::vector<std::string>>& runs,
                                           const RunOptions& options = {});

// `gapmap scan PATH --format json --fail-on never [extra...]`, parsed. On a non-zero exit,
// a timeout or unparsable output it returns nullopt and the failure is recorded with doctest
// (so a caller can simply `REQUIRE(report)`).
std::optional<nlohmann::json> scan_json(const std::filesystem::path& path, const std::vector<std::string>& extra = {},
                                        const RunOptions& options = {});

// Same, cached per (path, extra) for the life of the test process: fixture projects are scanned
// once however many test cases look at them.
const nlohmann::json& scan_json_cached(const std::filesystem::path& path, const std::vector<std::string>& extra = {});

// Fills the scan_json_cached cache for several paths with runs in parallel (paths already cached
// are skipped). Failures are recorded when the path is then looked up.
void prefetch_scans(const std::vector<std::filesystem::path>& paths, const std::vector<std::string>& extra = {});

// The fixture directory (tests/fixtures/...).
std::filesystem::path fixture(std::string_view relative);

// A fresh directory under the system temp dir, removed (with permissions restored first) on
// destruction.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path operator/(std::string_view relative) const { return path_ / relative; }
  // Writes `content` to path()/relative, creating parent directories.
  std::filesystem::path write(std::string_view relative, std::string_view content) const;

 private:
  std::filesystem::path path_;
};

// Writes bytes to a file, creating parent directories; throws std::runtime_error on failure.
void write_file(const std::filesystem::path& path, std::string_view content);
std::string read_file(const std::filesystem::path& path);

// Call sites of `report` in `file` (root-relative), in report order.
std::vector<nlohmann::json> sites_in(const nlohmann::json& report, std::string_view file);
// The call site of `report` at file:line, or nullptr when there is none (the first when several).
const nlohmann::json* site_at(const nlohmann::json& report, std::string_view file, int line);
// How many sites `report` has in `file` (or overall when `file` is empty).
size_t count_sites(const nlohmann::json& report, std::string_view file = {});
// Whether report.errors has an entry for `file` whose message contains `needle`.
bool has_error(const nlohmann::json& report, std::string_view file, std::string_view needle = {});

// What a test expects of one call site. Unset optional fields are not checked.
struct ExpectedSite {
  std::string file = {};
  int line = 0;
  std::string provider = {};
  std::string via = "sdk";
  std::string api = "chat";
  std::string kind = "request";
  bool streaming = false;
  std::optional<std::string> model = std::nullopt;  // nullopt: not checked; use model_null for an explicit null
  bool model_null = false;
  std::optional<std::string> function = std::nullopt;
  std::optional<std::string> confidence = std::nullopt;
  std::optional<int> column = std::nullopt;
};

// Checks (with doctest CHECKs) that the site exists and has the expected fields.
void expect_site(const nlohmann::json& report, const ExpectedSite& expected);
// Checks that there is no call site at file:line.
void expect_no_site(const nlohmann::json& report, std::string_view file, int line);

}  // namespace gapmap::test
