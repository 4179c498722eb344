// libFuzzer target for `plinth lint --fix`: any bytes as a Dockerfile, linted, with a PL107
// finding on every FROM, fixed (the digest resolver answers one digest, or fails for images
// with a digit). Nothing may crash, leak, overflow or hit undefined behaviour; a fix keeps the
// line count; fixing the fixed text again changes nothing.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>

#include "lint/dockerfile_view.h"
#include "lint/fixer.h"
#include "lint/linter.h"

using namespace plinth;
using namespace plinth::lint;

namespace {

Result<std::string> Resolve(const std::string& image) {
  if (image.find_first_of("0123456789") != std::string::npos) return NotFound("no digest");
  return "sha256:" + std::string(64, 'b');
}

std::vector<Finding> FindingsOf(const std::string& text) {
  LintOptions options;
  options.config = LintConfig{};
  auto lint = LintDockerfileText(text, "Dockerfile", options);
  if (!lint) return {};
  std::vector<Finding> findings = lint->findings;
  if (auto view = ViewDockerfile(text, "Dockerfile", ViewOptions{})) {
    for (const auto& stage : view->stages) {
      if (!stage.from || stage.base_written.find('@') != std::string::npos) continue;
      Finding f;
      f.location = stage.from->location;
      f.code = "PL107";
      findings.push_back(f);
    }
  }
  return findings;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  auto fix = FixDockerfileFully(text, "Dockerfile", FindingsOf(text), LintConfig{}, Resolve);
  if (!fix) return 0;
  if (std::count(fix->after.begin(), fix->after.end(), '\n') !=
      std::count(text.begin(), text.end(), '\n'))
    __builtin_trap();
  if (!fix->changed()) return 0;
  auto again =
      FixDockerfileFully(fix->after, "Dockerfile", FindingsOf(fix->after), LintConfig{}, Resolve);
  if (!again || again->changed()) __builtin_trap();
  return 0;
}
