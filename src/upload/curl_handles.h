#pragma once
// Owning wrappers for the libcurl objects gapmap uses. Every handle is released on every path,
// including exceptions thrown between creation and use.
#include <curl/curl.h>

#include <memory>
#include <stdexcept>
#include <string>

namespace gapmap::upload {

// curl_global_init is reference counted by libcurl, so one guard per client is correct and keeps
// the init/cleanup pairing local instead of relying on a process-wide singleton.
class CurlGlobal {
 public:
  CurlGlobal() {
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
      throw std::runtime_error("curl_global_init failed");
    }
  }
  ~CurlGlobal() { curl_global_cleanup(); }
  CurlGlobal(const CurlGlobal&) = delete;
  CurlGlobal& operator=(const CurlGlobal&) = delete;
};

struct CurlEasyDeleter {
  void operator()(CURL* h) const noexcept { curl_easy_cleanup(h); }
};
using CurlEasy = std::unique_ptr<CURL, CurlEasyDeleter>;

inline CurlEasy make_curl_easy() {
  CurlEasy h(curl_easy_init());
  if (!h) throw std::runtime_error("curl_easy_init failed");
  return h;
}

// curl_slist_append returns a new head (or null on allocation failure, leaving the old list
// intact), so appending goes through this class rather than touching the raw pointer.
class CurlHeaderList {
 public:
  CurlHeaderList() = default;
  void append(const std::string& line) {
    curl_slist* next = curl_slist_append(list_.get(), line.c_str());
    if (next == nullptr) throw std::runtime_error("curl_slist_append failed");
    (void)list_.release();
    list_.reset(next);
  }
  curl_slist* get() const noexcept { return list_.get(); }

 private:
  struct Deleter {
    void operator()(curl_slist* l) const noexcept { curl_slist_free_all(l); }
  };
  std::unique_ptr<curl_slist, Deleter> list_;
};

}  // namespace gapmap::upload
