// Purl: package URLs (https://github.com/package-url/purl-spec) for the Debian packages of an
// image, `pkg:deb/debian/NAME@VERSION?arch=ARCH&distro=debian-12`, and for the image itself,
// `pkg:oci/NAME@sha256%3A...`. Every component is percent-encoded as the spec asks (only
// A-Z a-z 0-9 . - _ ~ left as they are, so a version's epoch colon and '+' are encoded),
// qualifiers sorted by key, empty ones left out.
#pragma once

#include <string>
#include <string_view>

#include "audit/image_package.h"

namespace plinth::audit {

std::string PercentEncode(std::string_view text);

// `distro` is "debian-12" (from /etc/os-release; empty leaves the qualifier out).
std::string DebianPurl(const ImagePackage& package, std::string_view distro);

// `name` is the image's repository name without tag ("lucid/python"); its last component is
// the purl's name, the rest a repository_url qualifier is not given (names stay local).
std::string OciPurl(std::string_view name, std::string_view manifest_digest);

}  // namespace plinth::audit
