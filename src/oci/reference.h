// Reference: an image name as docker parses it (distribution/reference):
//
//   reference := [domain '/'] path [':' tag] ['@' digest]
//   domain    := host [':' port]        host: has a '.', or is 'localhost', or is [IPv6]
//   path      := component ('/' component)*   component: [a-z0-9]+ (([._]|__|-+) [a-z0-9]+)*
//   tag       := [A-Za-z0-9_][A-Za-z0-9_.-]{0,127}
//
// Normalised as docker does: no domain → docker.io; a one-component path on docker.io gets
// `library/`; no tag and no digest → `latest`. `redis` → `docker.io/library/redis:latest`.
#pragma once

#include <string>
#include <string_view>

#include "oci/digest.h"
#include "util/result.h"

namespace plinth::oci {

class Reference {
 public:
  static Result<Reference> Parse(std::string_view text);

  const std::string& domain() const { return domain_; }
  const std::string& path() const { return path_; }
  const std::string& tag() const { return tag_; }
  const Digest& digest() const { return digest_; }
  bool has_digest() const { return !digest_.empty(); }

  // "docker.io/library/redis:latest" (with "@sha256:…" when pinned).
  std::string str() const;
  // As docker prints it: "redis:latest", "pickme/lucid-base:latest-arm64", "gcr.io/x/y:1";
  // unlike docker, "docker.io/a.b/c:1" keeps its domain, so that it parses back to itself.
  std::string Familiar() const;
  // domain/path without tag or digest.
  std::string Name() const { return domain_ + "/" + path_; }
  std::string FamiliarName() const;

  Reference WithTag(std::string tag) const;
  Reference WithDigest(Digest digest) const;

  friend bool operator==(const Reference&, const Reference&) = default;

 private:
  std::string domain_;
  std::string path_;
  std::string tag_;
  Digest digest_;
};

}  // namespace plinth::oci
