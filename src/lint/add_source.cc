#include "lint/add_source.h"

namespace plinth::lint {

bool IsAddArchive(const std::string& source) {
  static const char* kExtensions[] = {".tar", ".Z",   ".bz2", ".gz",   ".lz",  ".lzma",
                                      ".tZ",  ".tb2", ".tbz", ".tbz2", ".tgz", ".tlz",
                                      ".tpz", ".txz", ".xz",  ".zst"};
  for (const char* e : kExtensions)
    if (source.ends_with(e)) return true;
  return false;
}

bool IsAddUrl(const std::string& source) {
  return source.find("://") != std::string::npos || source.starts_with("git@");
}

}  // namespace plinth::lint
