// Standard base64 (RFC 4648, with padding), for Basic auth and the `auth` field of docker's
// config.json.
#pragma once

#include <string>
#include <string_view>

#include "util/result.h"

namespace plinth::registry {

std::string Base64Encode(std::string_view data);
Result<std::string> Base64Decode(std::string_view text);

}  // namespace plinth::registry
