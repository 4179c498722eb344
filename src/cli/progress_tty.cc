// The live view of `plinth build` on a terminal, in the style of BuildKit's tty progress:
//
//   => DONE    lucid-base@linux/amd64  pickme/lucid-base:latest-amd64  1.2 MB  0.31s
//   [+] Building 2.4s (3/12)
//    => api-gateway@linux/amd64  [runtime 3/5] COPY app/ /app  830 kB  1.2s
//
// Finished targets become permanent lines above the live area; the live area (a header and
// one line per running target) is redrawn in place by moving the cursor up over it and
// clearing each line, at most ten times a second, from a timer thread. Lines are cut to the
// terminal's width so that none wraps (a wrapped line would break the count of lines to undo).
// A terminal that cannot move the cursor (TERM=dumb) gets the same lines as they happen and
// no live area; finished lines are coloured only where cli/terminal.h allows colour.
#include <sys/ioctl.h>
#include <unistd.h>

#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <map>
#include <mutex>
#include <thread>

#include "cli/format.h"
#include "cli/progress_reporter.h"
#include "cli/terminal.h"

namespace plinth::cli {
namespace {

using Clock = std::chrono::steady_clock;

std::string Seconds(Clock::duration d) {
  char buf[32];
  snprintf(buf, sizeof buf, "%.1fs", std::chrono::duration<double>(d).count());
  return buf;
}

// Cuts `line` to `width` columns (counting UTF-8 code points as one column each).
std::string Fit(const std::string& line, size_t width) {
  size_t columns = 0;
  for (size_t i = 0; i < line.size(); ++i) {
    if ((static_cast<unsigned char>(line[i]) & 0xC0) == 0x80) continue;
    if (++columns > width) return line.substr(0, i);
  }
  return line;
}

// ANSI colours of finished lines, by outcome.
constexpr const char* kGreen = "\x1b[32m";
constexpr const char* kCyan = "\x1b[36m";
constexpr const char* kRed = "\x1b[31m";
constexpr const char* kYellow = "\x1b[33m";
constexpr const char* kReset = "\x1b[0m";

class TtyReporter : public BuildReporter {
 public:
  TtyReporter(const plan::BuildPlan& plan, int fd)
      : plan_(plan), fd_(fd), terminal_(TerminalAbilitiesOf(fd)), started_(Clock::now()) {
    if (terminal_.moves_cursor) timer_ = std::thread([this] { Tick(); });
  }
  ~TtyReporter() override { Close(); }

  void OnStart(plan::TargetId id) override {
    std::lock_guard lock(mu_);
    running_[id].started = Clock::now();
    if (!terminal_.moves_cursor) Add("", "=> START   " + plan_.graph.node(id).name);
  }
  void OnStep(plan::TargetId id, std::string_view step) override {
    std::lock_guard lock(mu_);
    if (auto it = running_.find(id); it != running_.end()) {
      it->second.step = step;
      it->second.output.clear();
      it->second.partial.clear();
    }
  }
  // A RUN step's output: its last line is shown under the step, as BuildKit's view does.
  void OnOutput(plan::TargetId id, std::string_view text) override {
    std::lock_guard lock(mu_);
    auto it = running_.find(id);
    if (it == running_.end()) return;
    Running& r = it->second;
    for (char c : text) {
      if (c == '\n' || c == '\r') {
        if (!r.partial.empty()) r.output = std::move(r.partial);
        r.partial.clear();
      } else if (r.partial.size() < kMaxOutputLine && (static_cast<unsigned char>(c) >= 0x20 || c == '\t')) {
        r.partial += c == '\t' ? ' ' : c;  // control characters never reach the terminal
      }
    }
  }
  void OnBytes(plan::TargetId id, int64_t bytes) override {
    std::lock_guard lock(mu_);
    if (auto it = running_.find(id); it != running_.end()) it->second.bytes += bytes;
  }
  void OnFinish(const builder::TargetResult& r) override {
    auto report = ReportOf(r.id);
    std::lock_guard lock(mu_);
    running_.erase(r.id);
    ++finished_;
    const std::string& name = plan_.graph.node(r.id).name;
    std::string line;
    const char* colour = kYellow;
    switch (r.outcome) {
      case builder::TargetOutcome::kBuilt:
        line = "=> DONE    " + name + "  " + plan_.specs[r.id].image + "  " +
               HumanBytes(report.size) + "  " + HumanDuration(r.seconds);
        colour = kGreen;
        break;
      case builder::TargetOutcome::kCached:
        line = "=> CACHED  " + name + "  " + plan_.specs[r.id].image;
        colour = kCyan;
        break;
      case builder::TargetOutcome::kFailed:
        line = "=> ERROR   " + name + "  " + HumanDuration(r.seconds);
        colour = kRed;
        break;
      default:
        line = "=> " + std::string(r.outcome == builder::TargetOutcome::kSkipped ? "SKIPPED " : "CANCELED") +
               " " + name;
    }
    Add(colour, line);
    if (!r.detail.empty()) Add(colour, "   " + r.detail);
  }
  void OnIndex(const builder::IndexResult& index) override {
    std::lock_guard lock(mu_);
    const char* colour = index.failed ? kRed : index.index ? kGreen : kYellow;
    if (index.index)
      Add(colour, "=> INDEX   " + index.spec->image + "  " + JoinPlatforms(index.platforms) + "  " +
                      index.index->digest.str().substr(0, 19));
    else
      Add(colour, "=> NO INDEX " + index.spec->image + "  " + index.detail);
    if (index.failed) Add(colour, "   " + index.detail);
  }
  void Close() override {
    {
      std::lock_guard lock(mu_);
      if (closed_) return;
      closed_ = true;
    }
    wake_.notify_all();
    if (timer_.joinable()) timer_.join();
    std::lock_guard lock(mu_);
    Draw(/*final=*/true);
  }

 private:
  struct Running {
    Clock::time_point started;
    std::string step;
    int64_t bytes = 0;
    std::string output;   // the last line a RUN step printed
    std::string partial;  // the line it is printing
  };
  static constexpr size_t kMaxOutputLine = 512;
  struct Line {
    const char* colour;  // "" for none
    std::string text;
  };

  // Called with mu_ held: a line for above the live area; without one, shown at once.
  void Add(const char* colour, std::string text) {
    permanent_.push_back({colour, std::move(text)});
    if (!terminal_.moves_cursor) Draw(/*final=*/false);
  }

  void Tick() {
    std::unique_lock lock(mu_);
    while (!closed_) {
      Draw(/*final=*/false);
      wake_.wait_for(lock, std::chrono::milliseconds(100), [this] { return closed_; });
    }
  }

  size_t Width() const {
    winsize ws{};
    if (ioctl(fd_, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 10) return ws.ws_col - 1;
    return 79;
  }

  // Called with mu_ held.
  void Draw(bool final) {
    bool live = terminal_.moves_cursor;
    // Without a live area nothing is redrawn, so a long line may wrap: it is kept whole.
    size_t width = live ? Width() : std::string::npos;
    std::string out;
    if (live) {
      for (int i = 0; i < drawn_; ++i) out += "\x1b[1A\x1b[2K";  // up one line, clear it
      out += "\r";
    }
    for (const auto& line : permanent_) {
      std::string shown = Fit(line.text, width);
      bool paint = terminal_.colour && *line.colour != '\0';
      out += paint ? line.colour + shown + kReset + "\n" : shown + "\n";
    }
    permanent_.clear();
    if (!live && !final) return Write(out);
    auto now = Clock::now();
    std::string header = "[+] Building " + Seconds(now - started_) + " (" +
                         std::to_string(finished_) + "/" + std::to_string(plan_.selected.size()) +
                         ")" + (final ? " FINISHED" : "");
    out += Fit(header, width) + "\n";
    drawn_ = 1;
    if (live && !final) {
      for (const auto& [id, r] : running_) {
        std::string line = " => " + plan_.graph.node(id).name;
        if (!r.step.empty()) line += "  " + r.step;
        if (r.bytes > 0) line += "  " + HumanBytes(r.bytes);
        line += "  " + Seconds(now - r.started);
        out += Fit(line, width) + "\n";
        ++drawn_;
        if (!r.output.empty()) {
          out += Fit("    | " + r.output, width) + "\n";
          ++drawn_;
        }
      }
    }
    Write(out);
  }

  void Write(const std::string& out) {
    for (size_t done = 0; done < out.size();) {
      ssize_t n = write(fd_, out.data() + done, out.size() - done);
      if (n <= 0) break;
      done += static_cast<size_t>(n);
    }
  }

  const plan::BuildPlan& plan_;
  int fd_;
  TerminalAbilities terminal_;
  Clock::time_point started_;
  std::mutex mu_;
  std::condition_variable wake_;
  std::map<plan::TargetId, Running> running_;
  std::vector<Line> permanent_;
  size_t finished_ = 0;
  int drawn_ = 0;
  bool closed_ = false;
  std::thread timer_;  // last: started once everything it reads exists
};

}  // namespace

std::unique_ptr<BuildReporter> MakeTtyReporter(const plan::BuildPlan& plan, int fd) {
  return std::make_unique<TtyReporter>(plan, fd);
}

}  // namespace plinth::cli
