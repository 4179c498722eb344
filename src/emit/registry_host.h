// The --registry HOST the emitters write into CI files and cache references: a host[:port]
// and nothing else, so that it cannot add words to a command or a path to a reference.
#pragma once

#include <string>

#include "util/result.h"

namespace plinth::emit {

Status CheckRegistryHost(const std::string& host);

}  // namespace plinth::emit
