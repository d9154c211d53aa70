#pragma once
// A minimal synchronous HTTP client over one reused libcurl easy handle (so retries and polls can
// reuse the TLS connection). It never logs: curl's own verbose output would print the
// Authorization header, so it stays off.
#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "upload/curl_handles.h"

namespace gapmap::upload {

struct HttpRequest {
  std::string method = "GET";  // "GET" or "POST"
  std::string url;
  std::vector<std::string> headers;  // "Name: value"
  std::string body;                  // sent for POST
};

struct HttpResponse {
  long status = 0;
  std::map<std::string, std::string> headers;  // names lower-cased; last value wins
  std::string body;

  std::optional<std::string> header(const std::string& lower_name) const;
};

// Either a response (any status) or a transport failure.
struct HttpResult {
  std::optional<HttpResponse> response;
  std::string error;       // set when there is no response
  bool retryable = false;  // transport failure likely to go away (connect, timeout, reset, ...)
};

struct HttpClientOptions {
  std::chrono::milliseconds connect_timeout{30'000};
  std::chrono::milliseconds total_timeout{10 * 60'000};
  // Abort a transfer that moves fewer than 1 byte/s for this long; catches stalled uploads of
  // large payloads without a short total timeout.
  std::chrono::milliseconds stall_timeout{60'000};
  std::size_t max_response_bytes = 8 * 1024 * 1024;
};

class HttpClient {
 public:
  explicit HttpClient(HttpClientOptions options = {});
  HttpResult send(const HttpRequest& request);

 private:
  HttpClientOptions options_;
  CurlGlobal global_;
  CurlEasy easy_;
};

// True when the URL's host is a loopback address, e.g. a test or lab server on this machine.
bool is_loopback_url(const std::string& url);

}  // namespace gapmap::upload
