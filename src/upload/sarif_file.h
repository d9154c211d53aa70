#pragma once
// Loading and checking a SARIF file before upload: GitHub rejects malformed or oversized payloads
// only after the transfer, and with less specific messages than a local check can give.
#include <cstddef>
#include <optional>
#include <string>

namespace gapmap::upload {

// GitHub code scanning's limit on the gzip-compressed SARIF.
inline constexpr std::size_t kMaxGzipBytes = 10 * 1024 * 1024;

struct PreparedSarif {
  std::size_t raw_bytes = 0;
  std::string gzipped;  // gzip of the file's exact bytes
};

struct SarifResult {
  std::optional<PreparedSarif> sarif;
  std::string error;  // starts with the file name
};

// Reads `path`, checks it is JSON with "version": "2.1.0" and a "runs" array, gzips it and checks
// the compressed size against `max_gzip_bytes`.
SarifResult prepare_sarif(const std::string& path, std::size_t max_gzip_bytes = kMaxGzipBytes);

// Checks already-loaded SARIF text; returns what is wrong, or nullopt.
std::optional<std::string> check_sarif_text(const std::string& text);

}  // namespace gapmap::upload
