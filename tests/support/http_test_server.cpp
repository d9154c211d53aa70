#include "support/http_test_server.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cerrno>
#include <charconv>
#include <optional>
#include <system_error>

namespace gapmap::test {
namespace {

constexpr std::size_t kMaxHeaderBytes = 64 * 1024;

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

std::string trim(std::string_view s) {
  const auto first = s.find_first_not_of(" \t");
  if (first == std::string_view::npos) return {};
  const auto last = s.find_last_not_of(" \t");
  return std::string(s.substr(first, last - first + 1));
}

[[noreturn]] void throw_errno(const char* what) {
  throw std::system_error(errno, std::generic_category(), what);
}

const char* reason_phrase(int status) {
  switch (status) {
    case 100: return "Continue";
    case 200: return "OK";
    case 201: return "Created";
    case 202: return "Accepted";
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 410: return "Gone";
    case 413: return "Payload Too Large";
    case 418: return "I'm a teapot";
    case 422: return "Unprocessable Entity";
    case 429: return "Too Many Requests";
    case 500: return "Internal Server Error";
    case 502: return "Bad Gateway";
    case 503: return "Service Unavailable";
    default: return "Status";
  }
}

// Reads from a connection while watching the stop pipe, so a client that keeps an idle
// keep-alive connection open cannot block shutdown.
class Reader {
 public:
  Reader(int fd, int wake_fd) : fd_(fd), wake_fd_(wake_fd) {}

  // Appends what arrives to buf_; false on EOF, error or stop.
  bool fill() {
    std::array<pollfd, 2> fds{pollfd{fd_, POLLIN, 0}, pollfd{wake_fd_, POLLIN, 0}};
    for (;;) {
      const int rc = ::poll(fds.data(), fds.size(), -1);
      if (rc < 0 && errno == EINTR) continue;
      if (rc < 0 || (fds[1].revents & POLLIN) != 0) return false;
      break;
    }
    std::array<char, 16 * 1024> chunk{};
    ssize_t n;
    do {
      n = ::recv(fd_, chunk.data(), chunk.size(), 0);
    } while (n < 0 && errno == EINTR);
    if (n <= 0) return false;
    buf_.append(chunk.data(), static_cast<std::size_t>(n));
    return true;
  }

  std::optional<std::string> read_head() {
    for (;;) {
      if (const auto end = buf_.find("\r\n\r\n"); end != std::string::npos) {
        std::string head = buf_.substr(0, end);
        buf_.erase(0, end + 4);
        return head;
      }
      if (buf_.size() > kMaxHeaderBytes || !fill()) return std::nullopt;
    }
  }

  std::optional<std::string> read_exact(std::size_t n) {
    while (buf_.size() < n) {
      if (!fill()) return std::nullopt;
    }
    std::string out = buf_.substr(0, n);
    buf_.erase(0, n);
    return out;
  }

  std::optional<std::string> read_line() {
    for (;;) {
      if (const auto end = buf_.find("\r\n"); end != std::string::npos) {
        std::string line = buf_.substr(0, end);
        buf_.erase(0, end + 2);
        return line;
      }
      if (buf_.size() > kMaxHeaderBytes || !fill()) return std::nullopt;
    }
  }

  std::optional<std::string> read_chunked() {
    std::string body;
    for (;;) {
      const auto line = read_line();
      if (!line) return std::nullopt;
      std::size_t size = 0;
      const std::string hex = line->substr(0, line->find(';'));
      const auto [ptr, ec] = std::from_chars(hex.data(), hex.data() + hex.size(), size, 16);
      if (ec != std::errc() || ptr == hex.data()) return std::nullopt;
      if (size == 0) {
        // Trailer section ends with an empty line.
        for (;;) {
          const auto trailer = read_line();
          if (!trailer) return std::nullopt;
          if (trailer->empty()) return body;
        }
      }
      const auto data = read_exact(size + 2);
      if (!data) return std::nullopt;
      body.append(*data, 0, size);
    }
  }

 private:
  int fd_;
  int wake_fd_;
  std::string buf_;
};

bool send_all(int fd, std::string_view data) {
  while (!data.empty()) {
    // MSG_NOSIGNAL: a client that hung up must not kill the test process with SIGPIPE.
    const ssize_t n = ::send(fd, data.data(), data.size(), MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    data.remove_prefix(static_cast<std::size_t>(n));
  }
  return true;
}

}  // namespace

UniqueFd::~UniqueFd() {
  if (fd_ >= 0) ::close(fd_);
}

UniqueFd& UniqueFd::operator=(UniqueFd&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = std::exchange(other.fd_, -1);
  }
  return *this;
}

std::string RecordedRequest::path() const { return target.substr(0, target.find('?')); }

std::string RecordedRequest::header(const std::string& name) const {
  const auto it = headers.find(lower(name));
  return it == headers.end() ? std::string() : it->second;
}

bool RecordedRequest::has_header(const std::string& name) const {
  return headers.contains(lower(name));
}

ScriptedResponse ScriptedResponse::json(int status, std::string body,
                                        std::vector<std::pair<std::string, std::string>> headers) {
  ScriptedResponse r;
  r.status = status;
  r.body = std::move(body);
  r.headers = std::move(headers);
  r.headers.emplace_back("Content-Type", "application/json; charset=utf-8");
  return r;
}

HttpTestServer::HttpTestServer() {
  // CLOEXEC everywhere: tests spawn the gapmap binary, which must not inherit these.
  listen_fd_ = UniqueFd(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
  if (!listen_fd_) throw_errno("socket");
  const int one = 1;
  ::setsockopt(listen_fd_.get(), SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  if (::bind(listen_fd_.get(), reinterpret_cast<const sockaddr*>(&addr), sizeof addr) != 0) {
    throw_errno("bind");
  }
  if (::listen(listen_fd_.get(), 64) != 0) throw_errno("listen");
  socklen_t len = sizeof addr;
  if (::getsockname(listen_fd_.get(), reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    throw_errno("getsockname");
  }
  port_ = ntohs(addr.sin_port);

  std::array<int, 2> pipe_fds{};
  if (::pipe2(pipe_fds.data(), O_CLOEXEC) != 0) throw_errno("pipe2");
  wake_read_ = UniqueFd(pipe_fds[0]);
  wake_write_ = UniqueFd(pipe_fds[1]);

  acceptor_ = std::thread([this] { accept_loop(); });
}

HttpTestServer::~HttpTestServer() { stop(); }

void HttpTestServer::stop() {
  if (stopped_) return;
  stopped_ = true;
  const char byte = 'x';
  while (::write(wake_write_.get(), &byte, 1) < 0 && errno == EINTR) {
  }
  if (acceptor_.joinable()) acceptor_.join();
  for (auto& t : connections_) {
    if (t.joinable()) t.join();
  }
  connections_.clear();
  listen_fd_ = UniqueFd();
}

std::string HttpTestServer::url() const { return "http://127.0.0.1:" + std::to_string(port_); }

void HttpTestServer::enqueue(ScriptedResponse response) {
  const std::lock_guard lock(mu_);
  script_.push_back(std::move(response));
}

void HttpTestServer::enqueue_json(int status, std::string body,
                                  std::vector<std::pair<std::string, std::string>> headers) {
  enqueue(ScriptedResponse::json(status, std::move(body), std::move(headers)));
}

std::vector<RecordedRequest> HttpTestServer::requests() const {
  const std::lock_guard lock(mu_);
  return requests_;
}

std::size_t HttpTestServer::request_count() const {
  const std::lock_guard lock(mu_);
  return requests_.size();
}

ScriptedResponse HttpTestServer::next_response() {
  const std::lock_guard lock(mu_);
  if (script_.empty()) {
    return ScriptedResponse::json(418, R"({"message":"no scripted response left"})");
  }
  ScriptedResponse r = std::move(script_.front());
  script_.pop_front();
  return r;
}

void HttpTestServer::accept_loop() {
  std::array<pollfd, 2> fds{pollfd{listen_fd_.get(), POLLIN, 0},
                            pollfd{wake_read_.get(), POLLIN, 0}};
  for (;;) {
    const int rc = ::poll(fds.data(), fds.size(), -1);
    if (rc < 0 && errno == EINTR) continue;
    if (rc < 0 || (fds[1].revents & POLLIN) != 0) return;
    if ((fds[0].revents & POLLIN) == 0) continue;
    UniqueFd conn(::accept4(listen_fd_.get(), nullptr, nullptr, SOCK_CLOEXEC));
    if (!conn) continue;
    connections_.emplace_back(
        [this, c = std::move(conn)]() mutable { serve_connection(std::move(c)); });
  }
}

void HttpTestServer::serve_connection(UniqueFd conn) {
  Reader reader(conn.get(), wake_read_.get());
  for (;;) {
    const auto head = reader.read_head();
    if (!head) return;

    RecordedRequest req;
    req.received_at = std::chrono::steady_clock::now();
    const auto line_end = head->find("\r\n");
    const std::string request_line = head->substr(0, line_end);
    const auto sp1 = request_line.find(' ');
    const auto sp2 = request_line.find(' ', sp1 == std::string::npos ? sp1 : sp1 + 1);
    if (sp1 == std::string::npos || sp2 == std::string::npos) return;
    req.method = request_line.substr(0, sp1);
    req.target = request_line.substr(sp1 + 1, sp2 - sp1 - 1);
    req.version = request_line.substr(sp2 + 1);
    std::size_t pos = line_end == std::string::npos ? head->size() : line_end + 2;
    while (pos < head->size()) {
      auto end = head->find("\r\n", pos);
      if (end == std::string::npos) end = head->size();
      const std::string_view line(head->data() + pos, end - pos);
      if (const auto colon = line.find(':'); colon != std::string_view::npos) {
        req.headers[lower(std::string(line.substr(0, colon)))] = trim(line.substr(colon + 1));
      }
      pos = end + 2;
    }

    if (lower(req.header("expect")) == "100-continue" &&
        !send_all(conn.get(), "HTTP/1.1 100 Continue\r\n\r\n")) {
      return;
    }
    if (lower(req.header("transfer-encoding")).find("chunked") != std::string::npos) {
      auto body = reader.read_chunked();
      if (!body) return;
      req.body = std::move(*body);
    } else if (const std::string cl = req.header("content-length"); !cl.empty()) {
      std::size_t length = 0;
      const auto [ptr, ec] = std::from_chars(cl.data(), cl.data() + cl.size(), length);
      if (ec != std::errc() || ptr != cl.data() + cl.size()) return;
      auto body = reader.read_exact(length);
      if (!body) return;
      req.body = std::move(*body);
    }

    const bool client_close = lower(req.header("connection")) == "close";
    {
      const std::lock_guard lock(mu_);
      requests_.push_back(req);
    }
    const ScriptedResponse resp = next_response();
    const bool close = resp.close_connection || client_close;
    std::string out = "HTTP/1.1 " + std::to_string(resp.status) + " " +
                      reason_phrase(resp.status) + "\r\n";
    for (const auto& [name, value] : resp.headers) out += name + ": " + value + "\r\n";
    out += "Content-Length: " + std::to_string(resp.body.size()) + "\r\n";
    if (close) out += "Connection: close\r\n";
    out += "\r\n";
    out += resp.body;
    if (!send_all(conn.get(), out) || close) return;
  }
}

}  // namespace gapmap::test
