#include "upload/http_client.h"

#include <algorithm>
#include <array>
#include <cctype>

#include <fmt/format.h>

namespace gapmap::upload {
namespace {

struct Sink {
  std::string* body = nullptr;
  std::map<std::string, std::string>* headers = nullptr;
  std::size_t limit = 0;
  bool overflow = false;
};

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

std::string trim(std::string_view s) {
  const auto first = s.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return {};
  const auto last = s.find_last_not_of(" \t\r\n");
  return std::string(s.substr(first, last - first + 1));
}

size_t write_body(char* data, size_t size, size_t nmemb, void* userp) {
  auto* sink = static_cast<Sink*>(userp);
  const size_t n = size * nmemb;
  if (sink->body->size() + n > sink->limit) {
    sink->overflow = true;
    return 0;  // makes curl abort with CURLE_WRITE_ERROR
  }
  sink->body->append(data, n);
  return n;
}

size_t write_header(char* data, size_t size, size_t nmemb, void* userp) {
  auto* sink = static_cast<Sink*>(userp);
  const size_t n = size * nmemb;
  const std::string_view line(data, n);
  // A new status line starts a new response (after 100 Continue or similar interim replies);
  // only the final response's headers matter.
  if (line.starts_with("HTTP/")) {
    sink->headers->clear();
    return n;
  }
  const auto colon = line.find(':');
  if (colon != std::string_view::npos) {
    (*sink->headers)[lower(std::string(line.substr(0, colon)))] = trim(line.substr(colon + 1));
  }
  return n;
}

bool is_retryable(CURLcode code) {
  switch (code) {
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
    case CURLE_COULDNT_CONNECT:
    case CURLE_OPERATION_TIMEDOUT:
    case CURLE_SEND_ERROR:
    case CURLE_RECV_ERROR:
    case CURLE_GOT_NOTHING:
    case CURLE_PARTIAL_FILE:
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM:
      return true;
    default:
      return false;
  }
}

// Checked setopt: a failing option (e.g. a protocol this libcurl lacks) must not be ignored, or
// the request could go out with weaker settings than intended.
template <typename T>
void set(CURL* h, CURLoption opt, T value) {
  const CURLcode rc = curl_easy_setopt(h, opt, value);
  if (rc != CURLE_OK) {
    throw std::runtime_error(fmt::format("curl_easy_setopt({}) failed: {}", static_cast<int>(opt),
                                         curl_easy_strerror(rc)));
  }
}

}  // namespace

std::optional<std::string> HttpResponse::header(const std::string& lower_name) const {
  const auto it = headers.find(lower_name);
  if (it == headers.end()) return std::nullopt;
  return it->second;
}

HttpClient::HttpClient(HttpClientOptions options)
    : options_(options), easy_(make_curl_easy()) {}

HttpResult HttpClient::send(const HttpRequest& request) {
  // curl_easy_reset (below, on exit) clears per-request options but keeps the connection cache,
  // so retries and polls reuse the connection.
  CURL* h = easy_.get();

  HttpResponse response;
  Sink sink{&response.body, &response.headers, options_.max_response_bytes, false};
  std::array<char, CURL_ERROR_SIZE> errbuf{};
  CurlHeaderList headers;
  for (const auto& line : request.headers) headers.append(line);
  // curl adds "Expect: 100-continue" to larger POSTs and then stalls up to a second waiting for
  // an interim reply that many servers never send.
  headers.append("Expect:");
  // Declared after the buffers it protects, so it runs first on every exit: the handle must not
  // keep pointers to this call's error buffer, header list or sink once they are gone.
  struct ResetOnExit {
    CURL* h;
    ~ResetOnExit() { curl_easy_reset(h); }
  } reset_on_exit{h};

  set(h, CURLOPT_URL, request.url.c_str());
  set(h, CURLOPT_HTTPHEADER, headers.get());
  set(h, CURLOPT_ERRORBUFFER, errbuf.data());
  set(h, CURLOPT_NOSIGNAL, 1L);
#if LIBCURL_VERSION_NUM >= 0x075500
  set(h, CURLOPT_PROTOCOLS_STR, "http,https");
#else
  set(h, CURLOPT_PROTOCOLS, static_cast<long>(CURLPROTO_HTTP | CURLPROTO_HTTPS));
#endif
  // Redirects are not followed: curl would resend the Authorization header to wherever the
  // Location points, and the API does not redirect these endpoints in normal operation.
  set(h, CURLOPT_FOLLOWLOCATION, 0L);
  set(h, CURLOPT_SSL_VERIFYPEER, 1L);
  set(h, CURLOPT_SSL_VERIFYHOST, 2L);
  set(h, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(options_.connect_timeout.count()));
  set(h, CURLOPT_TIMEOUT_MS, static_cast<long>(options_.total_timeout.count()));
  set(h, CURLOPT_LOW_SPEED_LIMIT, 1L);
  set(h, CURLOPT_LOW_SPEED_TIME,
      std::max(1L, static_cast<long>(options_.stall_timeout.count() / 1000)));
  if (is_loopback_url(request.url)) {
    // A proxy from http_proxy/https_proxy cannot reach this machine's loopback interface.
    set(h, CURLOPT_NOPROXY, "*");
  }
  set(h, CURLOPT_WRITEFUNCTION, &write_body);
  set(h, CURLOPT_WRITEDATA, static_cast<void*>(&sink));
  set(h, CURLOPT_HEADERFUNCTION, &write_header);
  set(h, CURLOPT_HEADERDATA, static_cast<void*>(&sink));
  if (request.method == "POST") {
    set(h, CURLOPT_POST, 1L);
    set(h, CURLOPT_POSTFIELDS, request.body.data());
    set(h, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request.body.size()));
  } else if (request.method == "GET") {
    set(h, CURLOPT_HTTPGET, 1L);
  } else {
    throw std::invalid_argument("unsupported HTTP method " + request.method);
  }

  const CURLcode rc = curl_easy_perform(h);
  HttpResult result;
  if (rc != CURLE_OK) {
    if (sink.overflow) {
      result.error = fmt::format("response larger than {} bytes", options_.max_response_bytes);
      return result;
    }
    // The error buffer holds the specific reason (host, port, TLS detail); the generic text
    // only when curl left it empty.
    const std::string detail = trim(errbuf.data());
    result.error = detail.empty() ? std::string(curl_easy_strerror(rc)) : detail;
    result.retryable = is_retryable(rc);
    return result;
  }
  curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &response.status);
  result.response = std::move(response);
  return result;
}

bool is_loopback_url(const std::string& url) {
  const auto scheme_end = url.find("://");
  if (scheme_end == std::string::npos) return false;
  std::string_view rest = std::string_view(url).substr(scheme_end + 3);
  rest = rest.substr(0, rest.find_first_of("/?#"));
  if (const auto at = rest.rfind('@'); at != std::string_view::npos) rest = rest.substr(at + 1);
  std::string_view host;
  if (rest.starts_with('[')) {
    host = rest.substr(0, rest.find(']') + 1);
  } else {
    host = rest.substr(0, rest.find(':'));
  }
  const std::string h = lower(std::string(host));
  return h == "localhost" || h == "[::1]" || h.starts_with("127.");
}

}  // namespace gapmap::upload
