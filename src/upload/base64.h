#pragma once
// Standard base64 (RFC 4648 §4, with padding), as the code scanning API expects for `sarif`.
#include <string>
#include <string_view>

namespace gapmap::upload {

std::string base64_encode(std::string_view bytes);

}  // namespace gapmap::upload
