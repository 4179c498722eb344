// What `plinth build` tells the program that ran it. CI reads exit codes, not summaries: a fleet
// that is half built must not end green, and a target this machine knowingly cannot build is
// allowed by name, never by default.
#pragma once

#include <string>
#include <vector>

#include "builder/executor.h"
#include "plan/target_graph.h"
#include "util/result.h"

namespace plinth::builder {

enum class BuildExit : int {
  kComplete = 0,      // every requested target built or found cached (or allowed to be skipped)
  kFailed = 1,        // a target (or a multi-platform index) failed
  kIncomplete = 3,    // nothing failed, but a target was skipped: an input this machine cannot
                      // reach (an image no one provides, a RUN stage needing emulation), or a
                      // target that needs one
  kInterrupted = 130, // Ctrl-C or SIGTERM: running targets were cancelled cleanly
};

// Targets that may be skipped without making the build incomplete: `--allow-unreachable NAME`,
// where NAME is a target ("mongodb": every platform of it) or one platform of it
// ("blockchain-engine@linux/arm64").
class AllowedSkips {
 public:
  // Every name must name a target of `graph`: a typo is an error, not a silent allowance.
  static Result<AllowedSkips> Parse(const std::vector<std::string>& names,
                                    const plan::TargetGraph& graph);
  bool Allows(const std::string& target_name) const;

 private:
  std::vector<std::string> names_;
};

BuildExit ExitFor(const std::vector<TargetResult>& results, const plan::TargetGraph& graph,
                  const AllowedSkips& allowed, bool index_failed, bool interrupted);

}  // namespace plinth::builder
