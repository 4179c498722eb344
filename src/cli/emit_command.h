// `plinth emit <what>`: files generated from plinth.yaml and the plan (compose, CI workflows,
// bake). Each emitter lives in its own cli/emit_<what>.cc and registers itself here, so adding
// one touches no other file.
#pragma once

#include <functional>

#include "cli/command.h"

namespace plinth::cli {

using EmitterSetup = std::function<void(CLI::App& emit, GlobalOptions& global)>;

// `order` is the position in `plinth emit --help`.
bool RegisterEmitter(int order, EmitterSetup setup);

}  // namespace plinth::cli
