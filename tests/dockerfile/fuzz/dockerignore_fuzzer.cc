// libFuzzer target for .dockerignore files from build contexts: any bytes are parsed; the
// patterns that come out are matched against paths taken from the input itself and a few
// fixed ones. Nothing may crash, throw, leak or hit undefined behaviour, nor take more than
// polynomial time (libFuzzer's -timeout catches runaway backtracking).
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "dockerfile/dockerignore.h"

using namespace plinth::dockerfile;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  auto ignore = DockerIgnore::Parse(input);
  if (!ignore) return 0;
  for (const char* path : {"a", "a/b/c.txt", ".git/config", "Dockerfile", "node_modules/x/y"})
    (void)ignore->Excludes(path);
  // Every line of the input, cleaned and raw, as a path.
  size_t start = 0;
  while (start < input.size()) {
    size_t end = input.find('\n', start);
    if (end == std::string_view::npos) end = input.size();
    std::string_view line = input.substr(start, end - start);
    (void)ignore->Excludes(line);
    (void)ignore->Excludes(CleanPath(line));
    start = end + 1;
  }
  (void)ignore->HasExclusions();
  return 0;
}
