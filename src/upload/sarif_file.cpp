#include "upload/sarif_file.h"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "upload/gzip.h"

namespace gapmap::upload {
namespace {

std::string strip_json_exception_prefix(std::string what) {
  // "[json.exception.parse_error.101] parse error at line 1, ..." -> "parse error at line 1, ..."
  if (what.starts_with("[json.exception.")) {
    if (const auto close = what.find("] "); close != std::string::npos) what.erase(0, close + 2);
  }
  return what;
}

std::string megabytes(std::size_t bytes) {
  return fmt::format("{:.1f} MB", static_cast<double>(bytes) / (1024.0 * 1024.0));
}

}  // namespace

std::optional<std::string> check_sarif_text(const std::string& text) {
  nlohmann::json doc;
  try {
    doc = nlohmann::json::parse(text);
  } catch (const nlohmann::json::parse_error& e) {
    return "not valid JSON: " + strip_json_exception_prefix(e.what());
  }
  if (!doc.is_object()) return std::string("not a SARIF log: the top-level JSON value is not an object");
  const auto version = doc.find("version");
  if (version == doc.end()) return std::string("not a SARIF log: no \"version\" property");
  if (!version->is_string() || version->get<std::string>() != "2.1.0") {
    return fmt::format("unsupported SARIF version {}: GitHub code scanning needs \"2.1.0\"",
                       version->dump());
  }
  const auto runs = doc.find("runs");
  if (runs == doc.end()) return std::string("not a SARIF log: no \"runs\" array");
  if (!runs->is_array()) return std::string("not a SARIF log: \"runs\" is not an array");
  return std::nullopt;
}

SarifResult prepare_sarif(const std::string& path, std::size_t max_gzip_bytes) {
  SarifResult result;
  std::error_code ec;
  const auto status = std::filesystem::status(path, ec);
  if (ec || !std::filesystem::exists(status)) {
    result.error = fmt::format("{}: cannot read SARIF file: {}", path,
                               ec ? ec.message() : std::string("no such file"));
    return result;
  }
  if (std::filesystem::is_directory(status)) {
    result.error = fmt::format("{}: cannot read SARIF file: it is a directory", path);
    return result;
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    result.error = fmt::format("{}: cannot read SARIF file: {}", path, std::strerror(errno));
    return result;
  }
  std::ostringstream buffer;
  buffer << in.rdbuf();
  if (in.bad()) {
    result.error = fmt::format("{}: error while reading SARIF file", path);
    return result;
  }
  const std::string text = std::move(buffer).str();

  if (auto problem = check_sarif_text(text)) {
    result.error = fmt::format("{}: {}", path, *problem);
    return result;
  }

  PreparedSarif sarif;
  sarif.raw_bytes = text.size();
  sarif.gzipped = gzip_compress(text);
  if (sarif.gzipped.size() > max_gzip_bytes) {
    result.error = fmt::format(
        "{}: too large: {} gzip-compressed ({} bytes; {} uncompressed), over the {} limit of "
        "GitHub code scanning; reduce the number of results or split the analysis",
        path, megabytes(sarif.gzipped.size()), sarif.gzipped.size(), megabytes(sarif.raw_bytes),
        megabytes(max_gzip_bytes));
    return result;
  }
  result.sarif = std::move(sarif);
  return result;
}

}  // namespace gapmap::upload
