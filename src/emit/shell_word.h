// A word for a POSIX shell command line that plinth writes (CI steps): kept as it is when it
// holds only characters no shell treats specially, else single-quoted.
#pragma once

#include <string>

namespace plinth::emit {

std::string ShellWord(const std::string& word);

}  // namespace plinth::emit
