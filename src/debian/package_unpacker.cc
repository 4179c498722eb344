#include "debian/package_unpacker.h"

#include "debian/control_file.h"
#include "debian/deb_archive.h"
#include "debian/elf_arch.h"
#include "debian/package_spool.h"
#include "util/safe_path.h"

namespace plinth::debian {
namespace {

bool IsCertificate(const std::string& path) {
  return path.rfind("usr/share/ca-certificates/", 0) == 0 && path.size() > 4 &&
         path.compare(path.size() - 4, 4, ".crt") == 0;
}

Status CheckControl(const std::string& control, const LockedPackage& expected) {
  PLINTH_TRY(auto paragraphs, ParseControl(control, "control"));
  if (paragraphs.size() != 1) return IntegrityError("control file has " + std::to_string(paragraphs.size()) + " paragraphs");
  const auto& p = paragraphs.front();
  std::string got = p.GetOr("Package") + " " + p.GetOr("Version") + " " + p.GetOr("Architecture");
  std::string want = expected.name + " " + expected.version + " " + expected.architecture;
  if (got != want) return IntegrityError("the .deb is " + got + ", expected " + want);
  return Ok{};
}

}  // namespace

Result<UnpackedPackage> UnpackPackage(const std::string& deb_path, const LockedPackage& expected,
                                      const std::string& spool_path, const UnpackOptions& options) {
  std::string who = "unpacking " + expected.name + " " + expected.version + " (" + deb_path + ")";
  UnpackedPackage out;
  out.package = expected;
  out.spool = spool_path;
  auto deb = DebArchive::Open(deb_path);
  if (!deb) return deb.error().Context(who);
  auto control = deb->ReadControl();
  if (!control) return control.error().Context(who);
  if (auto s = CheckControl(control->control, expected); !s) return s.error().Context(who);
  out.control = std::move(control->control);
  out.md5sums = std::move(control->md5sums);

  PLINTH_TRY(SpoolWriter spool, SpoolWriter::Create(spool_path));
  std::string head;
  head.reserve(kElfHeadSize);
  auto status = deb->ForEachDataEntry([&](const TarEntry& raw, ByteSource& content) -> Status {
    PLINTH_TRY(std::string path, StrictRelative(raw.path));
    if (path == ".") return Ok{};
    TarEntry e = raw;
    e.path = path;
    switch (e.type) {
      case EntryType::kOther:
        return InvalidInput(path + ": device nodes, fifos and sockets are not allowed in an image");
      case EntryType::kSymlink: {
        auto inside = ResolveLinkInsideRoot(path, e.link_target);
        if (!inside) return InvalidInput(path + ": symlink to '" + e.link_target + "' escapes the root");
        break;
      }
      case EntryType::kHardlink: {
        auto target = StrictRelative(e.link_target);
        if (!target) return InvalidInput(path + ": hard link to '" + e.link_target + "' escapes the root");
        e.link_target = *target;
        break;
      }
      default:
        break;
    }
    if (options.filter && !options.filter->Keeps(path)) return Ok{};
    std::string cert;
    bool is_cert = e.type == EntryType::kFile && IsCertificate(path);
    PLINTH_CHECK(spool.Add(e, &content, &head, is_cert ? &cert : nullptr));
    if (e.type == EntryType::kFile && options.machine) {
      auto machine = ElfMachine(head);
      if (machine && *machine != *options.machine)
        return Error(ErrorKind::kFailed, "/" + path + " is an ELF file for " + MachineName(*machine) +
                                             ", but the image is " + options.arch + " (" +
                                             MachineName(*options.machine) + ")");
    }
    if (is_cert) out.certificates[path] = std::move(cert);
    return Ok{};
  });
  if (!status) return status.error().Context(who);
  if (auto s = spool.Close(); !s) return s.error().Context(who);
  return out;
}

}  // namespace plinth::debian
