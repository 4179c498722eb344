// The user the image runs as: PA101 root, PA102 not the seed's 65532 where the tier says
// `user: nonroot`, PA103 a name /etc/passwd or /etc/group does not know. A name is looked up
// in the image's own files, as the runtime would: a USER the image cannot resolve fails to
// start, and a name that resolves to uid 0 is root whatever it is called.
#include <charconv>
#include <optional>

#include "audit/audit_context.h"

namespace plinth::audit {
namespace {

std::optional<uint64_t> Number(std::string_view text) {
  uint64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || text.empty()) return std::nullopt;
  return value;
}

// The id field (third) of the line for `name` in a passwd- or group-format file.
std::optional<uint64_t> LookUp(const std::string& file, std::string_view name) {
  size_t pos = 0;
  while (pos < file.size()) {
    size_t end = file.find('\n', pos);
    if (end == std::string::npos) end = file.size();
    std::string_view line(file.data() + pos, end - pos);
    pos = end + 1;
    size_t c1 = line.find(':');
    if (c1 == std::string_view::npos || line.substr(0, c1) != name) continue;
    size_t c2 = line.find(':', c1 + 1);
    if (c2 == std::string_view::npos) continue;
    size_t c3 = line.find(':', c2 + 1);
    return Number(
        line.substr(c2 + 1, c3 == std::string_view::npos ? line.size() - c2 - 1 : c3 - c2 - 1));
  }
  return std::nullopt;
}

}  // namespace

void CheckUser(AuditContext& ctx) {
  const std::string& user_spec = ctx.image().config.config.user;
  const auto& files = ctx.facts().small_files;
  auto file = [&](const char* path) -> const std::string* {
    auto it = files.find(path);
    return it == files.end() ? nullptr : &it->second;
  };
  std::string_view spec = user_spec;
  std::string_view user = spec.substr(0, spec.find(':'));
  std::optional<std::string_view> group;
  if (size_t colon = spec.find(':'); colon != std::string_view::npos)
    group = spec.substr(colon + 1);

  std::optional<uint64_t> uid;
  if (user.empty()) {
    uid = 0;
  } else if (auto n = Number(user)) {
    uid = n;
  } else if (const std::string* passwd = file("etc/passwd")) {
    uid = LookUp(*passwd, user);
    if (!uid)
      ctx.Report(rules::kUserUnknown, "etc/passwd",
                 "USER " + user_spec + ": the image's /etc/passwd has no user \"" +
                     std::string(user) + "\", so the container cannot start as it");
  } else {
    ctx.Report(rules::kUserUnknown, "",
               "USER " + user_spec + ": the image has no /etc/passwd to resolve \"" +
                   std::string(user) + "\" in");
  }
  if (group && !group->empty() && !Number(*group)) {
    const std::string* groups = file("etc/group");
    if (!groups || !LookUp(*groups, *group))
      ctx.Report(rules::kUserUnknown, "etc/group",
                 "USER " + user_spec + ": the image's /etc/group has no group \"" +
                     std::string(*group) + "\"");
  }
  if (!uid && user == "root") uid = 0;
  if (!uid) return;

  const AuditPolicy& policy = ctx.policy();
  if (*uid == 0 && policy.user != UserPolicy::kAny) {
    ctx.Report(rules::kUserRoot, "",
               user.empty() ? std::string("the image sets no USER, so it runs as root")
                            : "USER " + user_spec + " is uid 0 (root)");
    return;
  }
  if (policy.user == UserPolicy::kSeedNonRoot && *uid != 65532)
    ctx.Report(rules::kUserNotSeedUid, "",
               "USER " + user_spec + " is uid " + std::to_string(*uid) + "; tier \"" + policy.tier +
                   "\" says `user: nonroot`, which is uid 65532");
}

}  // namespace plinth::audit
