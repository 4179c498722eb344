// Resolves users against an image's /etc/passwd and /etc/group:
//   ResolveOwner     `--chown=user[:group]` and WORKDIR ownership, as BuildKit does: numbers are
//                    taken as they are (a lone uid also gives the gid), names are looked up; a
//                    name the image does not know is an error naming it.
//   ResolveExecUser  the USER a RUN step runs as, as BuildKit's executor resolves it (its
//                    GetUser over runc's GetExecUser): "uid:gid" as it is, "" is root; otherwise
//                    the passwd entry (by name, or by number) gives uid, primary gid and, unless
//                    a group was named, the supplementary groups that list the user.
// The *Text forms take the files' contents (nullopt: the image has no such file), so they are
// pure; the others read them inside an unpacked tree.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "util/result.h"

namespace plinth::builder {

struct Owner {
  uint32_t uid = 0;
  uint32_t gid = 0;
};

// `rootfs` is the image's unpacked files ("" for scratch: only numbers then).
Result<Owner> ResolveOwner(const std::string& spec, const std::string& rootfs);

Result<Owner> ResolveOwnerText(const std::string& spec, const std::optional<std::string>& passwd,
                               const std::optional<std::string>& group);

struct ExecUser {
  uint32_t uid = 0;
  uint32_t gid = 0;
  std::vector<uint32_t> additional_gids;
  bool operator==(const ExecUser&) const = default;
};

Result<ExecUser> ResolveExecUser(const std::string& spec, const std::optional<std::string>& passwd,
                                 const std::optional<std::string>& group);

// Bound on the account files read from an image.
inline constexpr uint64_t kMaxAccountFile = 16u << 20;

}  // namespace plinth::builder
