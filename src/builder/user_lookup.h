// Resolves `--chown=user[:group]` and WORKDIR ownership against an image's /etc/passwd and
// /etc/group, as BuildKit does: numbers are taken as they are (a lone uid also gives the gid),
// names are looked up; a name the image does not know is an error naming it.
#pragma once

#include <cstdint>
#include <string>

#include "util/result.h"

namespace plinth::builder {

struct Owner {
  uint32_t uid = 0;
  uint32_t gid = 0;
};

// `rootfs` is the image's unpacked files ("" for scratch: only numbers then).
Result<Owner> ResolveOwner(const std::string& spec, const std::string& rootfs);

}  // namespace plinth::builder
