#include "builder/user_lookup.h"

#include <charconv>
#include <optional>
#include <sstream>
#include <vector>

#include "util/rooted_path.h"

namespace plinth::builder {
namespace {

std::optional<uint32_t> Number(const std::string& s) {
  uint32_t v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size() || s.empty()) return std::nullopt;
  return v;
}

// The lines of a passwd or group file split at ':'.
std::vector<std::vector<std::string>> Records(const std::optional<std::string>& content) {
  std::vector<std::vector<std::string>> records;
  if (!content) return records;
  std::istringstream in(*content);
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    std::vector<std::string> f;
    std::stringstream ls(line);
    std::string field;
    while (std::getline(ls, field, ':')) f.push_back(field);
    if (!line.empty() && line.back() == ':') f.emplace_back();
    records.push_back(std::move(f));
  }
  return records;
}

// Finds `name` in a passwd/group file; returns fields 2 (id) and 3 (primary gid, passwd only).
std::optional<std::pair<uint32_t, uint32_t>> Lookup(const std::optional<std::string>& content,
                                                    const std::string& name) {
  for (const auto& f : Records(content)) {
    if (f.size() < 3 || f[0] != name) continue;
    auto id = Number(f[2]);
    if (!id) continue;
    auto gid = f.size() > 3 ? Number(f[3]) : std::nullopt;
    return std::pair(*id, gid.value_or(*id));
  }
  return std::nullopt;
}

// Read inside the image's tree: its /etc may be a link, which must not lead to this machine's.
std::optional<std::string> AccountFile(const std::string& rootfs, const std::string& file) {
  if (rootfs.empty()) return std::nullopt;
  auto content = ReadFileInRoot(rootfs, file, kMaxAccountFile);
  if (!content) return std::nullopt;
  return *content;
}

}  // namespace

Result<Owner> ResolveOwnerText(const std::string& spec, const std::optional<std::string>& passwd,
                               const std::optional<std::string>& group_file) {
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
    auto found = Lookup(passwd, user);
    if (!found)
      return InvalidInput("user '" + user + "' is not in the image's /etc/passwd; use a number");
    owner.uid = found->first;
    owner.gid = found->second;
  }
  if (!group.empty()) {
    if (auto n = Number(group)) {
      owner.gid = *n;
    } else {
      auto found = Lookup(group_file, group);
      if (!found)
        return InvalidInput("group '" + group + "' is not in the image's /etc/group; use a number");
      owner.gid = found->first;
    }
  }
  return owner;
}

Result<Owner> ResolveOwner(const std::string& spec, const std::string& rootfs) {
  return ResolveOwnerText(spec, AccountFile(rootfs, "etc/passwd"),
                          AccountFile(rootfs, "etc/group"));
}

Result<ExecUser> ResolveExecUser(const std::string& spec, const std::optional<std::string>& passwd,
                                 const std::optional<std::string>& group_file) {
  ExecUser user;
  if (spec.empty()) return user;  // BuildKit: no USER is 0:0, no lookup
  std::string user_arg = spec, group_arg;
  bool has_group = false;
  if (size_t colon = spec.find(':'); colon != std::string::npos) {
    user_arg = spec.substr(0, colon);
    group_arg = spec.substr(colon + 1);
    has_group = true;
  }
  auto uid_arg = Number(user_arg);
  auto gid_arg = Number(group_arg);
  // BuildKit's fast path: "uid:gid", both numbers, is taken as it is.
  if (has_group && uid_arg && gid_arg) return ExecUser{*uid_arg, *gid_arg, {}};
  std::string matched_name;
  for (const auto& f : Records(passwd)) {
    if (f.size() < 4) continue;
    auto uid = Number(f[2]);
    if (!uid) continue;
    bool match = user_arg.empty() ? *uid == 0 : uid_arg ? *uid_arg == *uid : f[0] == user_arg;
    if (!match) continue;
    matched_name = f[0];
    user.uid = *uid;
    user.gid = Number(f[3]).value_or(0);
    break;
  }
  if (matched_name.empty() && !user_arg.empty()) {
    if (!uid_arg)
      return InvalidInput("USER " + spec + ": no user '" + user_arg +
                          "' in the image's /etc/passwd");
    user.uid = *uid_arg;
  }
  if (!group_arg.empty() || !matched_name.empty()) {
    std::optional<uint32_t> named_gid;
    for (const auto& f : Records(group_file)) {
      if (f.size() < 3) continue;
      auto gid = Number(f[2]);
      if (!gid) continue;
      if (group_arg.empty()) {
        std::stringstream members(f.size() > 3 ? f[3] : "");
        std::string m;
        while (std::getline(members, m, ','))
          if (m == matched_name) {
            user.additional_gids.push_back(*gid);
            break;
          }
      } else if (gid_arg ? *gid_arg == *gid : f[0] == group_arg) {
        named_gid = *gid;
        break;
      }
    }
    if (!group_arg.empty()) {
      if (named_gid)
        user.gid = *named_gid;
      else if (gid_arg)
        user.gid = *gid_arg;
      else
        return InvalidInput("USER " + spec + ": no group '" + group_arg +
                            "' in the image's /etc/group");
    }
  }
  return user;
}

}  // namespace plinth::builder
