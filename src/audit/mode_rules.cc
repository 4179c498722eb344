// File modes: setuid/setgid files (PA120; a setgid folder only makes new files inherit its
// group, so folders are left alone) and files or folders anyone may write to without the
// sticky bit (PA121; symlinks always carry 0777 and are not judged).
#include "audit/audit_context.h"

namespace plinth::audit {
namespace {

std::string Octal(uint32_t mode) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "%04o", mode & 07777);
  return buf;
}

}  // namespace

void CheckModes(AuditContext& ctx) {
  for (const auto& [path, f] : ctx.facts().files) {
    bool file = f.type == layer::EntryType::kRegular || f.type == layer::EntryType::kHardLink;
    bool dir = f.type == layer::EntryType::kDirectory;
    if (file && (f.mode & 06000)) {
      std::string bits = (f.mode & 04000) && (f.mode & 02000) ? "setuid and setgid"
                         : (f.mode & 04000)                   ? "setuid"
                                                              : "setgid";
      ctx.Report(rules::kSetid, path,
                 "/" + path + " is " + bits + " (mode " + Octal(f.mode) + ", owner " +
                     std::to_string(f.uid) + ":" + std::to_string(f.gid) + ")");
    }
    if ((file || dir) && (f.mode & 0002) && !(f.mode & 01000))
      ctx.Report(rules::kWorldWritable, path,
                 "/" + path + " is a " + (dir ? "folder" : "file") + " anyone may write to (mode " +
                     Octal(f.mode) + ")");
  }
}

}  // namespace plinth::audit
