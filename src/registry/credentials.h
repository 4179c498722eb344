// Credentials for one registry. They travel only inside Authorization headers and credential
// files: nothing in plinth formats them into a message, and this type deliberately has no
// printer.
#pragma once

#include <string>

namespace plinth::registry {

struct Credentials {
  std::string username;
  std::string secret;  // a password or a personal access token

  bool empty() const { return username.empty() && secret.empty(); }
};

}  // namespace plinth::registry
