#pragma once
// gzip (RFC 1952) in memory via zlib. The code scanning API wants the SARIF gzipped, and its size
// limit applies to the compressed bytes, so compression happens before anything is sent.
#include <stdexcept>
#include <string>
#include <string_view>

namespace gapmap::upload {

// zlib failures here mean a bug or memory exhaustion, not bad input from the user, except for
// gunzip of corrupt data.
class GzipError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

std::string gzip_compress(std::string_view data);
std::string gunzip(std::string_view gz);

}  // namespace gapmap::upload
