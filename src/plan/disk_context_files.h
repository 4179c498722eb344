// DiskContextFiles: the ContextFiles of build contexts on this machine. It lstat()s, lists and
// hashes the paths the key asks for below a context folder and never follows the last
// component's symlink; the key walks folders from the context down and follows links itself,
// inside the context (context_sources.h), so no path it asks for goes through a link.
#pragma once

#include "plan/key_sources.h"

namespace plinth::plan {

class DiskContextFiles : public ContextFiles {
 public:
  Result<std::optional<PathInfo>> Lstat(const std::string& context,
                                        const std::string& rel) override;
  Result<std::vector<std::string>> List(const std::string& context,
                                        const std::string& rel) override;
  Result<std::string> Digest(const std::string& context, const std::string& rel) override;
};

}  // namespace plinth::plan
