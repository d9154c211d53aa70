#include "upload/gzip.h"

#define ZLIB_CONST  // makes z_stream::next_in const, so input needs no const_cast
#include <zlib.h>

#include <algorithm>
#include <array>
#include <limits>

#include <fmt/format.h>

namespace gapmap::upload {
namespace {

// windowBits 15 + 16 selects the gzip wrapper instead of raw zlib framing.
constexpr int kGzipWindowBits = 15 + 16;
constexpr int kMemLevel = 8;
// z_stream counts in uInt; feeding bounded slices keeps multi-GB inputs correct.
constexpr std::size_t kMaxSlice = std::numeric_limits<uInt>::max() / 2;

std::string zlib_message(const z_stream& zs, int rc) {
  return zs.msg != nullptr ? std::string(zs.msg) : fmt::format("zlib error {}", rc);
}

// Owns one z_stream for its whole life; zlib leaks internal state unless End is called exactly
// once after a successful Init.
class DeflateStream {
 public:
  DeflateStream() {
    const int rc = deflateInit2(&zs_, Z_DEFAULT_COMPRESSION, Z_DEFLATED, kGzipWindowBits, kMemLevel,
                                Z_DEFAULT_STRATEGY);
    if (rc != Z_OK) throw GzipError("deflateInit2 failed: " + zlib_message(zs_, rc));
  }
  ~DeflateStream() { deflateEnd(&zs_); }
  DeflateStream(const DeflateStream&) = delete;
  DeflateStream& operator=(const DeflateStream&) = delete;
  z_stream* get() { return &zs_; }

 private:
  z_stream zs_{};
};

class InflateStream {
 public:
  InflateStream() {
    const int rc = inflateInit2(&zs_, kGzipWindowBits);
    if (rc != Z_OK) throw GzipError("inflateInit2 failed: " + zlib_message(zs_, rc));
  }
  ~InflateStream() { inflateEnd(&zs_); }
  InflateStream(const InflateStream&) = delete;
  InflateStream& operator=(const InflateStream&) = delete;
  z_stream* get() { return &zs_; }

 private:
  z_stream zs_{};
};

}  // namespace

std::string gzip_compress(std::string_view data) {
  DeflateStream stream;
  z_stream* zs = stream.get();
  std::string out;
  std::array<Bytef, 64 * 1024> chunk{};
  std::size_t offset = 0;
  int rc = Z_OK;
  do {
    if (zs->avail_in == 0 && offset < data.size()) {
      const std::size_t slice = std::min(kMaxSlice, data.size() - offset);
      zs->next_in = reinterpret_cast<const Bytef*>(data.data() + offset);
      zs->avail_in = static_cast<uInt>(slice);
      offset += slice;
    }
    const int flush = offset == data.size() ? Z_FINISH : Z_NO_FLUSH;
    zs->next_out = chunk.data();
    zs->avail_out = static_cast<uInt>(chunk.size());
    rc = deflate(zs, flush);
    if (rc == Z_STREAM_ERROR) throw GzipError("deflate failed: " + zlib_message(*zs, rc));
    out.append(reinterpret_cast<const char*>(chunk.data()), chunk.size() - zs->avail_out);
  } while (rc != Z_STREAM_END);
  return out;
}

std::string gunzip(std::string_view gz) {
  InflateStream stream;
  z_stream* zs = stream.get();
  std::string out;
  std::array<Bytef, 64 * 1024> chunk{};
  std::size_t offset = 0;
  int rc = Z_OK;
  do {
    if (zs->avail_in == 0 && offset < gz.size()) {
      const std::size_t slice = std::min(kMaxSlice, gz.size() - offset);
      zs->next_in = reinterpret_cast<const Bytef*>(gz.data() + offset);
      zs->avail_in = static_cast<uInt>(slice);
      offset += slice;
    }
    zs->next_out = chunk.data();
    zs->avail_out = static_cast<uInt>(chunk.size());
    rc = inflate(zs, Z_NO_FLUSH);
    if (rc == Z_NEED_DICT || rc == Z_DATA_ERROR || rc == Z_MEM_ERROR || rc == Z_STREAM_ERROR) {
      throw GzipError("corrupt gzip data: " + zlib_message(*zs, rc));
    }
    const std::size_t produced = chunk.size() - zs->avail_out;
    out.append(reinterpret_cast<const char*>(chunk.data()), produced);
    // Z_BUF_ERROR with no input left and nothing produced means the stream ended early.
    if (rc == Z_BUF_ERROR && zs->avail_in == 0 && offset == gz.size() && produced == 0) {
      throw GzipError("truncated gzip data");
    }
  } while (rc != Z_STREAM_END);
  return out;
}

}  // namespace gapmap::upload
