#include "support/run_gapmap.h"

#include <doctest/doctest.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <future>
#include <map>
#include <mutex>
#include <sstream>
#include <stdexcept>
#include <system_error>

extern char** environ;

namespace gapmap::test {
namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

namespace {

// A file descriptor closed on scope exit.
class Fd {
 public:
  Fd() = default;
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() { reset(); }
  Fd(Fd&& o) noexcept : fd_(o.release()) {}
  Fd& operator=(Fd&& o) noexcept {
    if (this != &o) {
      reset();
      fd_ = o.release();
    }
    return *this;
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }
  int release() {
    int f = fd_;
    fd_ = -1;
    return f;
  }
  void reset() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }

 private:
  int fd_ = -1;
};

struct Pipe {
  Fd read, write;
};

Pipe make_pipe() {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) throw std::system_error(errno, std::generic_category(), "pipe2");
  return {Fd(fds[0]), Fd(fds[1])};
}

void set_nonblocking(int fd) {
  int flags = ::fcntl(fd, F_GETFL);
  ::fcntl(fd, F_SETFL, flags | O_NONBLOCK);
}

std::vector<std::string> build_environment(const RunOptions& options) {
  std::map<std::string, std::string> env;
  for (char** e = environ; e && *e; ++e) {
    std::string_view kv(*e);
    auto eq = kv.find('=');
    if (eq == std::string_view::npos) continue;
    env[std::string(kv.substr(0, eq))] = std::string(kv.substr(eq + 1));
  }
  // Tests see gapmap as a pipeline would: no colour negotiation surprises, no stray options.
  for (const auto& name : options.unset_env) env.erase(name);
  for (const auto& [k, v] : options.env) env[k] = v;
  std::vector<std::string> out;
  out.reserve(env.size());
  for (const auto& [k, v] : env) out.push_back(k + "=" + v);
  return out;
}

}  // namespace

std::string RunResult::describe() const {
  std::ostringstream ss;
  ss << "exit=" << exit_code << " signal=" << signal << " timed_out=" << (timed_out ? "yes" : "no")
     << " elapsed=" << elapsed.count() << "ms";
  auto clip = [](const std::string& s) { return s.size() > 2000 ? s.substr(0, 2000) + "...[clipped]" : s; };
  ss << "\n--- stderr ---\n" << clip(err) << "\n--- stdout ---\n" << clip(out);
  return ss.str();
}

RunResult run_process(const fs::path& binary, const std::vector<std::string>& args, const RunOptions& options) {
  // Everything the child needs is prepared before fork: after it only async-signal-safe calls.
  std::vector<std::string> argv_storage;
  argv_storage.push_back(binary.string());
  argv_storage.insert(argv_storage.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& a : argv_storage) argv.push_back(a.data());
  argv.push_back(nullptr);
  std::vector<std::string> env_storage = build_environment(options);
  std::vector<char*> envp;
  for (auto& e : env_storage) envp.push_back(e.data());
  envp.push_back(nullptr);
  std::string cwd = options.cwd.string();

  Pipe out = make_pipe(), err = make_pipe(), in = make_pipe();
  auto start = Clock::now();
  pid_t pid = ::fork();
  if (pid < 0) throw std::system_error(errno, std::generic_category(), "fork");
  if (pid == 0) {
    // Child.
    if (::dup2(in.read.get(), STDIN_FILENO) < 0 || ::dup2(out.write.get(), STDOUT_FILENO) < 0 ||
        ::dup2(err.write.get(), STDERR_FILENO) < 0)
      ::_exit(126);
    if (!cwd.empty() && ::chdir(cwd.c_str()) != 0) ::_exit(126);
    ::execve(argv[0], argv.data(), envp.data());
    static const char kMsg[] = "run_process: execve failed (is the binary built?)\n";
    [[maybe_unused]] auto ignored = ::write(STDERR_FILENO, kMsg, sizeof kMsg - 1);
    ::_exit(127);
  }
  // Parent.
  out.write.reset();
  err.write.reset();
  in.read.reset();
  set_nonblocking(out.read.get());
  set_nonblocking(err.read.get());
  set_nonblocking(in.write.get());
  ::signal(SIGPIPE, SIG_IGN);  // the child may exit without reading its stdin

  RunResult result;
  size_t stdin_sent = 0;
  if (options.stdin_data.empty()) in.write.reset();
  // Timeouts catch hangs, not slowness: a sanitizer build runs several times slower.
#if defined(__SANITIZE_ADDRESS__)
  constexpr int kSlowdown = 5;
#else
  constexpr int kSlowdown = 1;
#endif
  auto deadline = start + options.timeout * kSlowdown;
  char buf[65536];
  while (out.read.get() >= 0 || err.read.get() >= 0) {
    auto now = Clock::now();
    if (now >= deadline) {
      result.timed_out = true;
      ::kill(pid, SIGKILL);
      break;
    }
    pollfd fds[3];
    int n = 0;
    int out_i = -1, err_i = -1, in_i = -1;
    if (out.read.get() >= 0) {
      fds[n] = {out.read.get(), POLLIN, 0};
      out_i = n++;
    }
    if (err.read.get() >= 0) {
      fds[n] = {err.read.get(), POLLIN, 0};
      err_i = n++;
    }
    if (in.write.get() >= 0) {
      fds[n] = {in.write.get(), POLLOUT, 0};
      in_i = n++;
    }
    auto wait_ms = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - now).count();
    int r = ::poll(fds, static_cast<nfds_t>(n), static_cast<int>(std::min<long long>(wait_ms + 1, 1000)));
    if (r < 0) {
      if (errno == EINTR) continue;
      ::kill(pid, SIGKILL);
      break;
    }
    auto drain = [&](int idx, Fd& fd, std::string& sink) {
      if (idx < 0 || !(fds[idx].revents & (POLLIN | POLLHUP | POLLERR))) return;
      for (;;) {
        ssize_t got = ::read(fd.get(), buf, sizeof buf);
        if (got > 0) {
          sink.append(buf, static_cast<size_t>(got));
          continue;
        }
        if (got < 0 && (errno == EAGAIN || errno == EINTR)) return;
        fd.reset();  // EOF or error
        return;
      }
    };
    drain(out_i, out.read, result.out);
    drain(err_i, err.read, result.err);
    if (in_i >= 0 && (fds[in_i].revents & (POLLOUT | POLLERR | POLLHUP))) {
      ssize_t put = ::write(in.write.get(), options.stdin_data.data() + stdin_sent, options.stdin_data.size() - stdin_sent);
      if (put > 0) stdin_sent += static_cast<size_t>(put);
      if (put < 0 && errno != EAGAIN && errno != EINTR) in.write.reset();
      if (stdin_sent >= options.stdin_data.size()) in.write.reset();
    }
  }
  in.write.reset();
  // The child closed its output (or was killed); it still gets until the deadline to exit.
  int status = 0;
  for (;;) {
    pid_t done = ::waitpid(pid, &status, result.timed_out ? 0 : WNOHANG);
    if (done == pid) break;
    if (done < 0 && errno != EINTR) break;
    if (done == 0) {
      if (Clock::now() >= deadline) {
        result.timed_out = true;
        ::kill(pid, SIGKILL);
        continue;  // now reap it, blocking
      }
      ::usleep(2000);
    }
  }
  result.elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start);
  if (WIFEXITED(status)) {
    result.exit_code = WEXITSTATUS(status);
  } else if (WIFSIGNALED(status)) {
    result.signal = WTERMSIG(status);
  }
  return result;
}

RunResult run_gapmap(const std::vector<std::string>& args, const RunOptions& options) {
  RunOptions opts = options;
  // Deterministic output whatever the developer's shell has set.
  opts.env.insert(opts.env.begin(), {"NO_COLOR", "1"});
  return run_process(GAPMAP_BINARY, args, opts);
}

std::vector<RunResult> run_gapmap_parallel(const std::vector<std::vector<std::string>>& runs,
                                           const RunOptions& options) {
  std::vector<std::future<RunResult>> pending;
  pending.reserve(runs.size());
  for (const auto& args : runs)
    pending.push_back(std::async(std::launch::async, [&args, &options] { return run_gapmap(args, options); }));
  std::vector<RunResult> out;
  out.reserve(runs.size());
  for (auto& f : pending) out.push_back(f.get());
  return out;
}

namespace {

std::vector<std::string> scan_args(const fs::path& path, const std::vector<std::string>& extra) {
  std::vector<std::string> args{"scan", path.string(), "--format", "json", "--fail-on", "never"};
  args.insert(args.end(), extra.begin(), extra.end());
  return args;
}

// Parses a scan's output; records a failure (on the calling thread) when there is none.
std::optional<nlohmann::json> parse_scan(const fs::path& path, const RunResult& r) {
  if (r.timed_out || r.exit_code != 0) {
    std::string message = "gapmap scan " + path.string() + " failed: " + r.describe();
    FAIL_CHECK(message);
    return std::nullopt;
  }
  auto parsed = nlohmann::json::parse(r.out, nullptr, /*allow_exceptions=*/false);
  if (parsed.is_discarded() || !parsed.is_object()) {
    std::string message = "gapmap scan " + path.string() + " printed no JSON object: " + r.describe();
    FAIL_CHECK(message);
    return std::nullopt;
  }
  return parsed;
}

std::mutex cache_mu;
std::map<std::string, nlohmann::json> cache;                       // by cache_key
std::map<std::string, std::pair<fs::path, RunResult>> prefetched;  // runs not yet parsed

std::string cache_key(const fs::path& path, const std::vector<std::string>& extra) {
  std::string key = path.string();
  for (const auto& e : extra) key += '\0' + e;
  return key;
}

}  // namespace

std::optional<nlohmann::json> scan_json(const fs::path& path, const std::vector<std::string>& extra,
                                        const RunOptions& options) {
  return parse_scan(path, run_gapmap(scan_args(path, extra), options));
}

const nlohmann::json& scan_json_cached(const fs::path& path, const std::vector<std::string>& extra) {
  std::string key = cache_key(path, extra);
  std::lock_guard lock(cache_mu);
  if (auto it = cache.find(key); it != cache.end()) return it->second;
  std::optional<nlohmann::json> report;
  if (auto p = prefetched.find(key); p != prefetched.end()) {
    report = parse_scan(path, p->second.second);
    prefetched.erase(p);
  } else {
    report = scan_json(path, extra);
  }
  return cache.emplace(key, report ? std::move(*report) : nlohmann::json::object()).first->second;
}

void prefetch_scans(const std::vector<fs::path>& paths, const std::vector<std::string>& extra) {
  std::vector<fs::path> todo;
  std::vector<std::vector<std::string>> runs;
  {
    std::lock_guard lock(cache_mu);
    for (const auto& p : paths) {
      std::string key = cache_key(p, extra);
      if (cache.count(key) || prefetched.count(key)) continue;
      todo.push_back(p);
      runs.push_back(scan_args(p, extra));
    }
  }
  auto results = run_gapmap_parallel(runs);
  std::lock_guard lock(cache_mu);
  for (size_t i = 0; i < todo.size(); ++i)
    prefetched.emplace(cache_key(todo[i], extra), std::make_pair(todo[i], std::move(results[i])));
}

fs::path fixture(std::string_view relative) { return fs::path(GAPMAP_FIXTURES) / relative; }

TempDir::TempDir() {
  std::string tmpl = (fs::temp_directory_path() / "gapmap-test-XXXXXX").string();
  if (::mkdtemp(tmpl.data()) == nullptr) throw std::system_error(errno, std::generic_category(), "mkdtemp");
  path_ = tmpl;
}

TempDir::~TempDir() {
  // Tests chmod files and directories to 000; give them back before removing the tree. Links
  // are never followed (chmod on a link would change its target).
  std::vector<fs::path> dirs{path_};
  while (!dirs.empty()) {
    fs::path d = std::move(dirs.back());
    dirs.pop_back();
    ::chmod(d.c_str(), 0700);
    std::error_code ec;
    for (fs::directory_iterator it(d, ec), end; !ec && it != end; it.increment(ec)) {
      auto st = it->symlink_status(ec);
      if (ec) break;
      if (fs::is_directory(st)) {
        dirs.push_back(it->path());
      } else if (fs::is_regular_file(st)) {
        ::chmod(it->path().c_str(), 0600);
      }
    }
  }
  std::error_code ec;
  fs::remove_all(path_, ec);
}

fs::path TempDir::write(std::string_view relative, std::string_view content) const {
  fs::path p = path_ / relative;
  write_file(p, content);
  return p;
}

void write_file(const fs::path& path, std::string_view content) {
  if (path.has_parent_path()) fs::create_directories(path.parent_path());
  std::ofstream f(path, std::ios::binary | std::ios::trunc);
  f.write(content.data(), static_cast<std::streamsize>(content.size()));
  if (!f) throw std::runtime_error("cannot write " + path.string());
}

std::string read_file(const fs::path& path) {
  std::ifstream f(path, std::ios::binary);
  std::ostringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

std::vector<nlohmann::json> sites_in(const nlohmann::json& report, std::string_view file) {
  std::vector<nlohmann::json> out;
  if (!report.contains("call_sites")) return out;
  for (const auto& s : report["call_sites"])
    if (s.value("file", "") == file) out.push_back(s);
  return out;
}

const nlohmann::json* site_at(const nlohmann::json& report, std::string_view file, int line) {
  if (!report.contains("call_sites")) return nullptr;
  for (const auto& s : report["call_sites"])
    if (s.value("file", "") == file && s.value("line", 0) == line) return &s;
  return nullptr;
}

size_t count_sites(const nlohmann::json& report, std::string_view file) {
  if (!report.contains("call_sites")) return 0;
  if (file.empty()) return report["call_sites"].size();
  return sites_in(report, file).size();
}

bool has_error(const nlohmann::json& report, std::string_view file, std::string_view needle) {
  if (!report.contains("errors")) return false;
  for (const auto& e : report["errors"]) {
    if (e.value("file", "") != file) continue;
    if (needle.empty() || e.value("message", "").find(needle) != std::string::npos) return true;
  }
  return false;
}

namespace {
// A site without its (long) check verdicts, for failure messages.
std::string brief(const nlohmann::json& site) {
  nlohmann::json copy = site;
  if (copy.is_object()) copy.erase("checks");
  return copy.dump();
}

std::string sites_listing(const nlohmann::json& report, std::string_view file) {
  std::ostringstream ss;
  for (const auto& s : sites_in(report, file))
    ss << "  " << s.value("file", "") << ":" << s.value("line", 0) << " " << s.value("sdk_method", "") << " "
       << s.value("provider", "") << "/" << s.value("via", "") << "/" << s.value("api", "") << "/"
       << s.value("kind", "") << "\n";
  std::string listing = ss.str();
  return listing.empty() ? "  (none)\n" : listing;
}
}  // namespace

void expect_site(const nlohmann::json& report, const ExpectedSite& e) {
  INFO("expected a call site at " << e.file << ":" << e.line << "; sites in that file:\n" << sites_listing(report, e.file));
  const nlohmann::json* s = site_at(report, e.file, e.line);
  CHECK_MESSAGE(s != nullptr, "no call site at " << e.file << ":" << e.line);
  if (s == nullptr) return;
  const nlohmann::json& site = *s;
  INFO("site: " << brief(site));
  CHECK(site.value("provider", "") == e.provider);
  CHECK(site.value("via", "") == e.via);
  CHECK(site.value("api", "") == e.api);
  CHECK(site.value("kind", "") == e.kind);
  CHECK(site.value("streaming", !e.streaming) == e.streaming);
  if (e.model) {
    CHECK(site.contains("model"));
    CHECK(site["model"].is_string());
    if (site["model"].is_string()) CHECK(site["model"].get<std::string>() == *e.model);
  }
  if (e.model_null) CHECK(site["model"].is_null());
  if (e.function) CHECK(site.value("function", "") == *e.function);
  if (e.confidence) CHECK(site.value("confidence", "") == *e.confidence);
  if (e.column) CHECK(site.value("column", 0) == *e.column);
}

void expect_no_site(const nlohmann::json& report, std::string_view file, int line) {
  const nlohmann::json* s = site_at(report, file, line);
  CHECK_MESSAGE(s == nullptr, "unexpected call site at " << file << ":" << line << ": " << (s ? brief(*s) : ""));
}

}  // namespace gapmap::test
