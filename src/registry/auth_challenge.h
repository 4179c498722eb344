// AuthChallenge: a parsed `WWW-Authenticate` header (RFC 7235), as registries send it with a 401:
//
//   challenge = scheme 1*SP param *( "," param )
//   param     = token "=" ( token / quoted-string )
//   e.g. Bearer realm="https://auth.example/token",service="registry.example",scope="repository:a/b:pull"
//        Basic realm="registry"
#pragma once

#include <map>
#include <string>
#include <string_view>

#include "util/result.h"

namespace plinth::registry {

enum class AuthScheme { kBasic, kBearer };

struct AuthChallenge {
  AuthScheme scheme = AuthScheme::kBasic;
  std::map<std::string, std::string> params;  // lower-case names: realm, service, scope, …

  std::string Param(const std::string& name) const {
    auto it = params.find(name);
    return it == params.end() ? "" : it->second;
  }
  static Result<AuthChallenge> Parse(std::string_view header);
};

}  // namespace plinth::registry
