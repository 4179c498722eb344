// libFuzzer target for the .deb reader: any bytes are opened as a .deb (from a memory file, so
// nothing touches the disk), its control member is read and parsed, and every data.tar member
// is visited with its content read to the end. Nothing may crash, throw, leak or hit undefined
// behaviour; errors are fine. What one input may decompress to is capped (64 MiB).
#include <sys/mman.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "debian/control_file.h"
#include "debian/deb_archive.h"

using namespace plinth;
using namespace plinth::debian;

namespace {

constexpr uint64_t kMaxBytes = 64 << 20;

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  int fd = memfd_create("fuzz.deb", MFD_CLOEXEC);
  if (fd < 0) abort();
  for (size_t done = 0; done < size;) {
    ssize_t n = write(fd, data + done, size - done);
    if (n <= 0) abort();
    done += static_cast<size_t>(n);
  }
  std::string path = "/proc/self/fd/" + std::to_string(fd);
  if (auto deb = DebArchive::Open(path)) {
    if (auto control = deb->ReadControl()) (void)ParseControl(control->control, "control");
    uint64_t total = 0;
    (void)deb->ForEachDataEntry([&](const TarEntry& entry, ByteSource& content) -> Status {
      char buf[16 * 1024];
      for (;;) {
        PLINTH_TRY(size_t n, content.Read(buf, sizeof buf));
        if (n == 0) return Ok{};
        total += n;
        if (total > kMaxBytes) return InvalidInput("fuzz input decompresses to more than 64 MiB");
      }
    });
  }
  close(fd);
  return 0;
}
