// The line-per-event reporters: plain text and JSON.
#include <map>
#include <mutex>

#include <nlohmann/json.hpp>

#include "cli/format.h"
#include "cli/progress_reporter.h"

namespace plinth::cli {
namespace {

class PlainReporter : public BuildReporter {
 public:
  PlainReporter(const plan::BuildPlan& plan, std::ostream& out, bool show_steps)
      : plan_(plan), out_(out), show_steps_(show_steps) {}

  void OnStart(plan::TargetId id) override {
    std::lock_guard lock(mu_);
    out_ << "[start]  " << plan_.graph.node(id).name << std::endl;
  }
  void OnStep(plan::TargetId id, std::string_view step) override {
    if (!show_steps_) return;
    std::lock_guard lock(mu_);
    out_ << "[step]   " << plan_.graph.node(id).name << "  " << step << std::endl;
  }
  // With --progress plain, a RUN step's output, line by line, as docker's plain progress.
  void OnOutput(plan::TargetId id, std::string_view text) override {
    if (!show_steps_) return;
    std::lock_guard lock(mu_);
    std::string& partial = partial_[id];
    for (char c : text) {
      if (c != '\n') {
        if (partial.size() < 4096) partial += c;
        continue;
      }
      out_ << "[output] " << plan_.graph.node(id).name << "  " << partial << "\n";
      partial.clear();
    }
    out_ << std::flush;
  }
  void OnFinish(const builder::TargetResult& r) override {
    std::lock_guard lock(mu_);
    auto report = ReportOf(r.id);
    std::string outcome(builder::OutcomeName(r.outcome));
    out_ << "[" << outcome << "]" << std::string(7 - std::min<size_t>(outcome.size(), 7), ' ')
         << plan_.graph.node(r.id).name;
    if (!report.image_digest.empty())
      out_ << "  " << plan_.specs[r.id].image << "  " << HumanBytes(report.size) << "  "
           << HumanDuration(r.seconds);
    if (!r.detail.empty()) out_ << "\n         " << r.detail;
    out_ << std::endl;
  }
  void OnIndex(const builder::IndexResult& index) override {
    std::lock_guard lock(mu_);
    out_ << "[index]  " << index.spec->image << "  ";
    if (index.index) out_ << JoinPlatforms(index.platforms) << "  " << index.index->digest.str();
    if (index.failed) out_ << (index.index ? "\n         " : "") << "failed: " << index.detail;
    else if (!index.index) out_ << "no index: " << index.detail;
    out_ << std::endl;
  }

 private:
  const plan::BuildPlan& plan_;
  std::ostream& out_;
  bool show_steps_;
  std::mutex mu_;
  std::map<plan::TargetId, std::string> partial_;  // output lines not ended yet
};

class JsonReporter : public BuildReporter {
 public:
  JsonReporter(const plan::BuildPlan& plan, std::ostream& out) : plan_(plan), out_(out) {}

  void OnStart(plan::TargetId id) override {
    Emit({{"event", "start"}, {"target", plan_.graph.node(id).name}});
  }
  void OnStep(plan::TargetId id, std::string_view step) override {
    Emit({{"event", "step"}, {"target", plan_.graph.node(id).name}, {"step", step}});
  }
  void OnOutput(plan::TargetId id, std::string_view text) override {
    // Invalid UTF-8 would make dump() throw: replaced, never thrown out of the reporter.
    nlohmann::json j{{"event", "output"}, {"target", plan_.graph.node(id).name},
                     {"text", std::string(text)}};
    std::lock_guard lock(mu_);
    out_ << j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << "\n" << std::flush;
  }
  void OnFinish(const builder::TargetResult& r) override {
    auto report = ReportOf(r.id);
    nlohmann::json j{{"event", "finish"}, {"target", plan_.graph.node(r.id).name},
                     {"outcome", std::string(builder::OutcomeName(r.outcome))}, {"seconds", r.seconds}};
    if (!r.detail.empty()) j["detail"] = r.detail;
    if (!report.image_digest.empty()) j["digest"] = report.image_digest, j["size"] = report.size;
    if (report.pushed)
      j["pushed"] = {{"blobs_uploaded", report.pushed->blobs_uploaded},
                     {"blobs_mounted", report.pushed->blobs_mounted},
                     {"blobs_present", report.pushed->blobs_present},
                     {"bytes_uploaded", report.pushed->bytes_uploaded}};
    Emit(j);
  }
  void OnIndex(const builder::IndexResult& index) override {
    nlohmann::json j{{"event", "index"}, {"target", index.spec->name}, {"image", index.spec->image},
                     {"outcome", index.failed ? "failed" : index.index ? "written" : "skipped"}};
    if (index.index) j["digest"] = index.index->digest.str(), j["platforms"] = index.platforms;
    if (!index.detail.empty()) j["detail"] = index.detail;
    Emit(j);
  }

 private:
  void Emit(const nlohmann::json& j) {
    std::lock_guard lock(mu_);
    out_ << j.dump() << "\n" << std::flush;
  }
  const plan::BuildPlan& plan_;
  std::ostream& out_;
  std::mutex mu_;
};

}  // namespace

Result<ProgressMode> ParseProgressMode(const std::string& text) {
  if (text == "auto") return ProgressMode::kAuto;
  if (text == "tty") return ProgressMode::kTty;
  if (text == "plain") return ProgressMode::kPlain;
  return InvalidInput("--progress '" + text + "': use auto, tty or plain");
}

std::string JoinPlatforms(const std::vector<std::string>& platforms) {
  std::string out;
  for (const auto& p : platforms) out += (out.empty() ? "" : ", ") + p;
  return out;
}

std::unique_ptr<BuildReporter> MakePlainReporter(const plan::BuildPlan& plan, std::ostream& out,
                                                 bool show_steps) {
  return std::make_unique<PlainReporter>(plan, out, show_steps);
}

std::unique_ptr<BuildReporter> MakeJsonReporter(const plan::BuildPlan& plan, std::ostream& out) {
  return std::make_unique<JsonReporter>(plan, out);
}

}  // namespace plinth::cli
