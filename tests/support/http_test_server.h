#pragma once
// A real HTTP/1.1 server on 127.0.0.1 for tests: it records every request and answers with
// responses scripted in advance, so client code runs its true network path (libcurl, sockets,
// keep-alive) against a server the test controls.
#include <chrono>
#include <cstdint>
#include <deque>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace gapmap::test {

struct RecordedRequest {
  std::string method;
  std::string target;  // as sent, e.g. "/repos/o/r/code-scanning/sarifs?x=1"
  std::string version;
  std::map<std::string, std::string> headers;  // lower-cased names; last value wins
  std::string body;
  std::chrono::steady_clock::time_point received_at;

  std::string path() const;  // target without the query
  // Empty when absent; `name` is matched case-insensitively.
  std::string header(const std::string& name) const;
  bool has_header(const std::string& name) const;
};

struct ScriptedResponse {
  int status = 200;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  bool close_connection = false;  // answer with "Connection: close" and hang up

  static ScriptedResponse json(int status, std::string body,
                               std::vector<std::pair<std::string, std::string>> headers = {});
};

// Owns a file descriptor; closes it once.
class UniqueFd {
 public:
  UniqueFd() = default;
  explicit UniqueFd(int fd) : fd_(fd) {}
  ~UniqueFd();
  UniqueFd(UniqueFd&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
  UniqueFd& operator=(UniqueFd&& other) noexcept;
  UniqueFd(const UniqueFd&) = delete;
  UniqueFd& operator=(const UniqueFd&) = delete;
  int get() const { return fd_; }
  explicit operator bool() const { return fd_ >= 0; }

 private:
  int fd_ = -1;
};

class HttpTestServer {
 public:
  // Binds 127.0.0.1 on a kernel-chosen port and starts serving; throws std::system_error.
  HttpTestServer();
  ~HttpTestServer();
  HttpTestServer(const HttpTestServer&) = delete;
  HttpTestServer& operator=(const HttpTestServer&) = delete;

  uint16_t port() const { return port_; }
  std::string url() const;  // "http://127.0.0.1:PORT"

  // Responses are used in order, one per request, across all connections. With none left the
  // server answers 418 so an unexpected extra request shows up as a distinct failure.
  void enqueue(ScriptedResponse response);
  void enqueue_json(int status, std::string body,
                    std::vector<std::pair<std::string, std::string>> headers = {});

  std::vector<RecordedRequest> requests() const;
  std::size_t request_count() const;

  // Stops accepting, unblocks and joins all connection threads. Idempotent.
  void stop();

 private:
  void accept_loop();
  void serve_connection(UniqueFd conn);
  ScriptedResponse next_response();

  UniqueFd listen_fd_;
  UniqueFd wake_read_, wake_write_;  // written once by stop(); every poll() watches it
  uint16_t port_ = 0;
  bool stopped_ = false;  // only touched by the owning thread

  mutable std::mutex mu_;
  std::deque<ScriptedResponse> script_;
  std::vector<RecordedRequest> requests_;

  std::thread acceptor_;
  std::vector<std::thread> connections_;  // only touched by acceptor_ until it is joined
};

}  // namespace gapmap::test
