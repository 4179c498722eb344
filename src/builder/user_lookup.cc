#include "builder/user_lookup.h"

#include <charconv>
#include <optional>
#include <vector>
#include <sstream>

#include "util/rooted_path.h"

namespace plinth::builder {
namespace {

std::optional<uint32_t> Number(const std::string& s) {
  uint32_t v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size() || s.empty()) return std::nullopt;
  return v;
}

// Finds `name` in a passwd/group file; returns fields 2 (id) and 3 (primary gid, passwd only).
// Read inside the image's tree: its /etc may be a link, which must not lead to this machine's.
std::optional<std::pair<uint32_t, uint32_t>> Lookup(const std::string& rootfs, const std::string& file,
                                                    const std::string& name) {
  constexpr uint64_t kMaxAccountFile = 16u << 20;
  auto content = ReadFileInRoot(rootfs, file, kMaxAccountFile);
  if (!content) return std::nullopt;
  std::istringstream in(*content);
  std::string line;
  while (std::getline(in, line)) {
    std::vector<std::string> f;
    std::stringstream ls(line);
    std::string field;
    while (std::getline(ls, field, ':')) f.push_back(field);
    if (f.size() < 3 || f[0] != name) continue;
    auto id = Number(f[2]);
    if (!id) continue;
    auto gid = f.size() > 3 ? Number(f[3]) : std::nullopt;
    return std::pair(*id, gid.value_or(*id));
  }
  return std::nullopt;
}

}  // namespace

Result<Owner> ResolveOwner(const std::string& spec, const std::string& rootfs) {
  std::string user = spec, group;
  if (size_t colon = spec.find(':'); colon != std::string::npos) {
    user = spec.substr(0, colon);
    group = spec.substr(colon + 1);
  }
  if (user.empty()) return InvalidInput("owner '" + spec + "' has no user");
  Owner owner;
  if (auto n = Number(user)) {
    owner.uid = *n;
    owner.gid = *n;
  } else {
    auto found = rootfs.empty() ? std::nullopt : Lookup(rootfs, "etc/passwd", user);
    if (!found)
      return InvalidInput("user '" + user + "' is not in the image's /etc/passwd; use a number");
    owner.uid = found->first;
    owner.gid = found->second;
  }
  if (!group.empty()) {
    if (auto n = Number(group)) {
      owner.gid = *n;
    } else {
      auto found = rootfs.empty() ? std::nullopt : Lookup(rootfs, "etc/group", group);
      if (!found)
        return InvalidInput("group '" + group + "' is not in the image's /etc/group; use a number");
      owner.gid = found->first;
    }
  }
  return owner;
}

}  // namespace plinth::builder
