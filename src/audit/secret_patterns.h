// Secret patterns: what looks like a credential in a file, an ENV value or a history line.
// A private key is a PEM "-----BEGIN … PRIVATE KEY-----" line followed by key material (so a
// document that only names the header is not one); an AWS access key id is AKIA and 16
// upper-case letters or digits standing alone. A credential-looking variable name has a word
// such as PASSWORD, SECRET, TOKEN or API_KEY among its `_`-separated words (but not FILE or
// PATH, which name where a secret is, not the secret).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "audit/image_facts.h"

namespace plinth::audit {

struct SecretMatch {
  SecretKind kind;
  int line = 0;
};

std::vector<SecretMatch> FindSecrets(std::string_view text);

bool IsCredentialName(std::string_view name);

// "K=V" words of a command line or history entry whose K is a credential name and V is not
// empty and not a variable reference; returns the K of each.
std::vector<std::string> CredentialAssignments(std::string_view text);

// Whether `name` is a dotenv file (".env", ".env.production"; not ".env.example").
bool IsDotEnvName(std::string_view base);

}  // namespace plinth::audit
