// Limits on what a Dockerfile may make plinth do, far above what a real Dockerfile reaches,
// so that a hostile one (from any repository) fails with an error naming FILE:LINE instead of
// taking the machine's memory. docs/dockerfile.md lists them for users.
#pragma once

#include <cstddef>

namespace plinth::dockerfile {

// A Dockerfile's size in bytes (the largest public ones are tens of KiB; BuildKit's parser
// already caps each line at 64 KiB). Parse refuses bigger content; ParseFile stops reading.
inline constexpr size_t kMaxDockerfileSize = 4u << 20;  // 4 MiB

// Instructions per Dockerfile (ONBUILD triggers included in their ONBUILD line).
inline constexpr size_t kMaxInstructions = 10000;

// The result of expanding one word or argument ($VAR, ${VAR/p/r}, ...): `ENV C=$C$C` repeated
// doubles C each time; ShellLex stops as soon as a result would pass this.
inline constexpr size_t kMaxExpandedWordSize = 1u << 20;  // 1 MiB

// An image config that a Dockerfile produces, serialised (environment, labels, history, ...).
// Checked by the builder as it applies each instruction (it owns the config).
inline constexpr size_t kMaxImageConfigSize = 4u << 20;  // 4 MiB

}  // namespace plinth::dockerfile
