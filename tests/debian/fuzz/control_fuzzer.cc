// libFuzzer target for Debian's text formats as plinth reads them from mirrors, air-gapped
// folders and the repository: any bytes are parsed as deb822 control data (and re-serialised:
// a paragraph must read back as the same fields), as a Release file, as a Packages index (its
// dependency fields and versions, then looked up), and as a plinth.lock (whose serialisation
// must read back to the same text). Nothing may crash, throw, leak or hit undefined behaviour;
// errors are fine.
#include <sys/mman.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "debian/control_file.h"
#include "debian/lock_file.h"
#include "debian/package_index.h"
#include "debian/release_file.h"

using namespace plinth;
using namespace plinth::debian;

namespace {

void Control(std::string_view input) {
  auto paragraphs = ParseControl(input, "control");
  // The round trip holds for "\n" line ends; a '\r' is dropped where it ends a line (CRLF files
  // are read leniently) and kept elsewhere, so ToString may move it to a line end.
  if (!paragraphs || input.find('\r') != std::string_view::npos) return;
  for (const ControlParagraph& p : *paragraphs) {
    auto again = ParseControl(p.ToString(), "again");
    if (!again || again->size() != 1 || (*again)[0].fields() != p.fields()) __builtin_trap();
  }
}

void Packages(std::string_view input) {
  int fd = memfd_create("Packages", MFD_CLOEXEC);
  if (fd < 0) abort();
  if (write(fd, input.data(), input.size()) != static_cast<ssize_t>(input.size())) abort();
  PackageIndex index("amd64");
  if (index.LoadFile("/proc/self/fd/" + std::to_string(fd))) {
    auto paragraphs = ParseControl(input, "Packages");
    if (!paragraphs) __builtin_trap();  // the index read it
    for (const ControlParagraph& p : *paragraphs) {
      std::string name = p.GetOr("Package");
      const auto* versions = index.Versions(name);
      if (versions)
        for (const PackageRecord& r : *versions) (void)index.Find(r.name, r.version);
      (void)index.Providers(name);
    }
  }
  close(fd);
}

void Lock(std::string_view input) {
  auto lock = LockFile::Parse(input, "plinth.lock");
  if (!lock) return;
  std::string text = lock->Serialize();
  auto again = LockFile::Parse(text, "again");
  if (!again || again->Serialize() != text) __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  Control(input);
  (void)ReleaseFile::Parse(input, "Release");
  Packages(input);
  Lock(input);
  return 0;
}
