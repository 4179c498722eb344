// How `plinth build` reports while it runs. A reporter is the executor's observer (targets
// start and finish) and the builder's progress sink (steps and bytes in between), and is told
// of the multi-platform indexes written after the targets. Three kinds, chosen by --progress
// and --format:
//   tty   — a live view of the running targets, redrawn in place (progress_tty.h);
//   plain — one line per event (with --progress plain, one per step too, as docker's plain);
//   json  — one JSON object per line ("start", "step", "finish", "index"); the summary line
//           that ends the stream is written by the command.
#pragma once

#include <memory>
#include <ostream>
#include <string>

#include "builder/build_progress.h"
#include "builder/executor.h"
#include "builder/fleet_builder.h"
#include "builder/platform_index.h"
#include "plan/build_plan.h"

namespace plinth::cli {

class BuildReporter : public builder::ExecutorObserver, public builder::BuildProgress {
 public:
  // The builder whose reports (digest, size) finished targets are shown with. The builder is
  // made after the reporter (it is handed the reporter as its progress sink).
  void Attach(const builder::FleetBuilder& builder) { builder_ = &builder; }
  virtual void OnIndex(const builder::IndexResult& index) {}
  // The targets and indexes are done: a live view is taken down before the summary.
  virtual void Close() {}

 protected:
  builder::TargetReport ReportOf(plan::TargetId id) const {
    return builder_ ? builder_->Report(id) : builder::TargetReport{};
  }

 private:
  const builder::FleetBuilder* builder_ = nullptr;
};

// The values of --progress: auto (tty when stdout is a terminal, else plain), tty, plain.
enum class ProgressMode { kAuto, kTty, kPlain };
Result<ProgressMode> ParseProgressMode(const std::string& text);

std::unique_ptr<BuildReporter> MakePlainReporter(const plan::BuildPlan& plan, std::ostream& out,
                                                 bool show_steps);
std::unique_ptr<BuildReporter> MakeJsonReporter(const plan::BuildPlan& plan, std::ostream& out);
// Draws on file descriptor `fd` (a terminal), from a timer thread started here; a terminal that
// cannot move the cursor (TERM=dumb) gets its lines as they happen instead (cli/terminal.h).
std::unique_ptr<BuildReporter> MakeTtyReporter(const plan::BuildPlan& plan, int fd);

// "linux/amd64, linux/arm64".
std::string JoinPlatforms(const std::vector<std::string>& platforms);

}  // namespace plinth::cli
