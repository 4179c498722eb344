#include "builder/stage_engine.h"

#include <nlohmann/json.hpp>

#include "builder/copy_step.h"
#include "builder/run_step_native.h"
#include "builder/stage_vars.h"
#include "dockerfile/limits.h"
#include "dockerfile/parser.h"
#include "util/safe_path.h"

namespace plinth::builder {
namespace {

using dockerfile::CommandForm;
using dockerfile::Instruction;
using dockerfile::InstructionKind;

constexpr const char* kBuildkitComment = "buildkit.dockerfile.v0";

Error At(const Instruction& ins, const Error& e) {
  return Error(e.kind(), std::string(dockerfile::KeywordOf(ins.kind)) + ": " + e.message(),
               ins.location);
}

// Applies one config-only or COPY/ADD instruction to the stage's image.
class StageBuilder {
 public:
  StageBuilder(StageContext ctx, oci::Image image, StageVars vars)
      : ctx_(ctx), image_(std::move(image)), vars_(std::move(vars)) {
    vars_.set_config(&image_.config.config);
  }

  // Applies `ins`, then refuses a config grown past dockerfile::kMaxImageConfigSize.
  Status Apply(const Instruction& ins, int index) {
    PLINTH_CHECK(ApplyUnbounded(ins, index));
    if (config_growth_ > dockerfile::kMaxImageConfigSize)
      return At(ins, InvalidInput("the image config would grow past " +
                                  std::to_string(dockerfile::kMaxImageConfigSize >> 20) +
                                  " MiB of environment, labels and history (docs/dockerfile.md)"));
    return Ok{};
  }
  oci::Image Take() { return std::move(image_); }

 private:
  Status ApplyUnbounded(const Instruction& ins, int index);
  // What the stage's instructions added to the config, counted as they add it: every history
  // line, and every ENV and LABEL key and value (an overwritten value stays counted, so this is
  // at most twice the real growth). The base's config was bounded when it was read.
  size_t config_growth_ = 0;

  Result<std::string> Word(const Instruction& ins, const std::string& text) {
    dockerfile::ShellLex lex({.escape_token = ctx_.graph->escape_token()});
    auto r = lex.ProcessWord(text, vars_);
    if (!r) return At(ins, r.error());
    return r;
  }
  Result<std::vector<std::string>> Words(const Instruction& ins, const std::string& text) {
    dockerfile::ShellLex lex({.escape_token = ctx_.graph->escape_token()});
    auto r = lex.ProcessWords(text, vars_);
    if (!r) return At(ins, r.error());
    return r;
  }
  void History(const std::string& created_by, bool empty_layer = true) {
    config_growth_ += created_by.size();
    oci::HistoryEntry h{.created = oci::FormatTimestamp(ctx_.options->timestamp),
                        .created_by = created_by,
                        .comment = kBuildkitComment};
    if (empty_layer) image_ = oci::AppendEmptyHistory(std::move(image_), std::move(h));
    else image_.config.history.push_back(std::move(h));
  }
  // RUN/CMD/ENTRYPOINT shell form becomes SHELL + the command, as docker does.
  std::vector<std::string> Argv(const dockerfile::CommandLine& cmd) {
    if (cmd.form == CommandForm::kExec) return cmd.args;
    std::vector<std::string> argv = image_.config.config.shell;
    if (argv.empty()) argv = {"/bin/sh", "-c"};
    argv.push_back(cmd.args.empty() ? "" : cmd.args[0]);
    return argv;
  }

  StageContext ctx_;
  oci::Image image_;
  StageVars vars_;
  std::vector<ArgInScope> args_;  // the stage's ARGs so far, in declaration order
  bool cmd_set_ = false;
};

Status StageBuilder::ApplyUnbounded(const Instruction& ins, int index) {
  auto& c = image_.config.config;
  switch (ins.kind) {
    case InstructionKind::kEnv: {
      std::string shown;
      for (const auto& kv : ins.pairs) {
        PLINTH_TRY(std::string key, Word(ins, kv.key));
        PLINTH_TRY(std::string value, Word(ins, kv.value));
        c.SetEnv(key, value);
        config_growth_ += key.size() + value.size();
        shown += (shown.empty() ? "" : " ") + key + "=" + value;
      }
      History("ENV " + shown);
      return Ok{};
    }
    case InstructionKind::kArg: {
      std::string shown;
      for (const auto& kv : ins.pairs) {
        std::optional<std::string> def;
        if (kv.has_value) {
          PLINTH_TRY(std::string v, Word(ins, kv.value));
          def = v;
        }
        vars_.DeclareArg(kv.key, def);
        auto value = vars_.args().Lookup(kv.key);
        // In declaration order, for RUN's environment and history (a redeclared ARG keeps
        // its place and takes the new value).
        auto same = std::find_if(args_.begin(), args_.end(),
                                 [&](const ArgInScope& a) { return a.name == kv.key; });
        if (same != args_.end()) same->value = value;
        else args_.push_back({kv.key, value});
        shown += (shown.empty() ? "" : " ") + kv.key + (value ? "=" + *value : "");
      }
      History("ARG " + shown);
      return Ok{};
    }
    case InstructionKind::kLabel: {
      std::string shown;
      for (const auto& kv : ins.pairs) {
        PLINTH_TRY(std::string key, Word(ins, kv.key));
        PLINTH_TRY(std::string value, Word(ins, kv.value));
        c.labels[key] = value;
        config_growth_ += key.size() + value.size();
        shown += (shown.empty() ? "" : " ") + key + "=" + value;
      }
      History("LABEL " + shown);
      return Ok{};
    }
    case InstructionKind::kMaintainer: {
      image_.config.author = ins.args.empty() ? "" : ins.args[0];
      History("MAINTAINER " + image_.config.author);
      return Ok{};
    }
    case InstructionKind::kExpose: {
      std::string shown;
      for (const auto& a : ins.args) {
        PLINTH_TRY(std::vector<std::string> words, Words(ins, a));
        for (std::string port : words) {
          if (port.find('/') == std::string::npos) port += "/tcp";
          if (std::find(c.exposed_ports.begin(), c.exposed_ports.end(), port) == c.exposed_ports.end())
            c.exposed_ports.push_back(port);
          shown += (shown.empty() ? "" : " ") + port + ":{}";
        }
      }
      History("EXPOSE map[" + shown + "]");
      return Ok{};
    }
    case InstructionKind::kUser: {
      PLINTH_TRY(c.user, Word(ins, ins.args.at(0)));
      History("USER " + c.user);
      return Ok{};
    }
    case InstructionKind::kWorkdir: {
      PLINTH_TRY(std::string dir, Word(ins, ins.args.at(0)));
      if (dir.empty() || dir[0] != '/') dir = (c.working_dir.empty() ? "/" : c.working_dir + "/") + dir;
      c.working_dir = plinth::CleanPath(dir);
      size_t layers_before = image_.layers.size();
      auto created = CreateWorkdir(ctx_, image_, c.working_dir);
      if (!created) return At(ins, created.error());
      image_ = std::move(*created);
      // CreateWorkdir adds a layer (with its history) only when the folder was missing.
      if (image_.layers.size() == layers_before) History("WORKDIR " + c.working_dir);
      return Ok{};
    }
    case InstructionKind::kVolume: {
      std::string shown;
      for (const auto& a : ins.args) {
        PLINTH_TRY(std::string v, Word(ins, a));
        if (std::find(c.volumes.begin(), c.volumes.end(), v) == c.volumes.end()) c.volumes.push_back(v);
        shown += (shown.empty() ? "" : " ") + v;
      }
      History("VOLUME [" + shown + "]");
      return Ok{};
    }
    case InstructionKind::kStopSignal: {
      PLINTH_TRY(c.stop_signal, Word(ins, ins.args.at(0)));
      History("STOPSIGNAL " + c.stop_signal);
      return Ok{};
    }
    case InstructionKind::kShell: {
      c.shell = ins.command.args;
      History("SHELL " + nlohmann::json(c.shell).dump());
      return Ok{};
    }
    case InstructionKind::kCmd: {
      c.cmd = Argv(ins.command);
      cmd_set_ = true;
      History("CMD " + nlohmann::json(*c.cmd).dump());
      return Ok{};
    }
    case InstructionKind::kEntrypoint: {
      c.entrypoint = Argv(ins.command);
      // Docker: a new ENTRYPOINT drops the CMD inherited from the base.
      if (!cmd_set_) c.cmd.reset();
      History("ENTRYPOINT " + nlohmann::json(*c.entrypoint).dump());
      return Ok{};
    }
    case InstructionKind::kHealthcheck: {
      oci::HealthConfig h;
      if (ins.health.type == dockerfile::HealthcheckType::kNone) {
        h.test = {"NONE"};
      } else {
        if (ins.health.test.form == CommandForm::kExec) {
          h.test = {"CMD"};
          h.test.insert(h.test.end(), ins.health.test.args.begin(), ins.health.test.args.end());
        } else {
          h.test = {"CMD-SHELL", ins.health.test.args.empty() ? "" : ins.health.test.args[0]};
        }
        h.interval_ns = ins.health.interval.value_or(0);
        h.timeout_ns = ins.health.timeout.value_or(0);
        h.start_period_ns = ins.health.start_period.value_or(0);
        h.start_interval_ns = ins.health.start_interval.value_or(0);
        h.retries = ins.health.retries.value_or(0);
      }
      c.healthcheck = h;
      History("HEALTHCHECK " + nlohmann::json(h.test).dump());
      return Ok{};
    }
    case InstructionKind::kOnbuild: {
      c.on_build.push_back(ins.original.substr(ins.original.find_first_of(" \t") + 1));
      History("ONBUILD " + c.on_build.back());
      return Ok{};
    }
    case InstructionKind::kCopy:
    case InstructionKind::kAdd: {
      auto copied = ApplyCopy(ctx_, image_, vars_, ins, index);
      if (!copied) return At(ins, copied.error());
      image_ = std::move(*copied);
      return Ok{};
    }
    case InstructionKind::kRun: {
      size_t layers_before = image_.layers.size();
      auto ran = ApplyRun(ctx_, image_, vars_, args_, ins);
      if (!ran) return ran.error();
      image_ = std::move(*ran);
      if (image_.layers.size() > layers_before)
        config_growth_ += image_.config.history.back().created_by.size();
      return Ok{};
    }
    case InstructionKind::kFrom:
      return Internal("FROM inside a stage");
  }
  return Ok{};
}

}  // namespace

Result<ResolvedImage> StageEngine::ResolveBase(const dockerfile::StageGraph& graph, int index,
                                               const StageResults& done) {
  const auto& stage = graph.stage(index);
  switch (stage.base_ref.kind) {
    case dockerfile::RefKind::kScratch: {
      ResolvedImage r;
      r.name = "scratch";
      r.image = oci::ScratchImage(options_.platform, options_.timestamp);
      return r;
    }
    case dockerfile::RefKind::kStage: {
      auto it = done.find(stage.base_ref.stage);
      if (it == done.end())
        return Internal("stage " + graph.stage(stage.base_ref.stage).DisplayName() + " not built yet");
      return it->second;
    }
    case dockerfile::RefKind::kImage: {
      oci::Platform platform = options_.platform;
      if (!stage.platform.empty()) {
        auto p = oci::Platform::Parse(stage.platform);
        if (!p) return Error(p.error().kind(), "FROM --platform: " + p.error().message(), stage.location);
        platform = *p;
      }
      auto r = images_.Resolve(stage.base, platform);
      if (!r) return Error(r.error().kind(), "FROM " + stage.base + ": " + r.error().message(),
                           stage.location);
      return r;
    }
  }
  return Internal("unknown base kind");
}

Result<oci::Image> StageEngine::BuildStage(const dockerfile::StageGraph& graph, int index,
                                           const StageResults& done) {
  const auto& stage = graph.stage(index);
  if (stage.runs && !options_.native_run)
    return Error(ErrorKind::kInvalidInput,
                 "stage " + stage.DisplayName() + " RUNs commands: it needs a backend (buildah)",
                 stage.location);
  // BuildKit's step names: "[builder 2/4] COPY app/ /app", "[1/4] FROM …" for an unnamed stage.
  const std::string step_prefix = "[" + (stage.name.empty() ? "" : stage.name + " ");
  const std::string step_count = "/" + std::to_string(stage.instructions.size() + 1) + "] ";
  options_.progress.Step(step_prefix + "1" + step_count + "FROM " + stage.base);
  PLINTH_TRY(ResolvedImage base, ResolveBase(graph, index, done));
  oci::Image image = std::move(base.image);
  image.config.created = oci::FormatTimestamp(options_.timestamp);
  image.config.platform = image.layers.empty() && base.name == "scratch" ? options_.platform
                                                                         : image.config.platform;
  if (base.name != "scratch" && stage.base_ref.kind == dockerfile::RefKind::kImage) {
    image.annotations.clear();
    auto ref = oci::Reference::Parse(base.name);
    image.annotations[oci::kBaseNameAnnotation] = ref ? ref->Familiar() : base.name;
    image.annotations[oci::kBaseDigestAnnotation] = base.manifest.digest.str();
  }
  StageContext ctx{&graph, index, &options_, &store_, &images_, &rootfs_, &done};
  StageVars vars(graph.meta_args(), options_.build_args);
  // ONBUILD triggers of the base run first, then are cleared (docker does not inherit them).
  std::vector<std::string> triggers = std::move(image.config.config.on_build);
  image.config.config.on_build.clear();
  StageBuilder builder(ctx, std::move(image), std::move(vars));
  for (const auto& trigger : triggers) {
    auto ast = dockerfile::Parse(trigger, stage.location.file + " (ONBUILD of " + stage.base + ")");
    if (!ast || ast->instructions.empty())
      return Error(ErrorKind::kInvalidInput, "ONBUILD trigger '" + trigger + "' of " + stage.base +
                                                 " does not parse", stage.location);
    auto ins = dockerfile::ParseInstruction(ast->instructions[0], stage.location.file);
    if (!ins) return ins.error();
    if (ins->kind == InstructionKind::kRun && !options_.native_run)
      return Error(ErrorKind::kInvalidInput,
                   "base " + stage.base + " has an ONBUILD RUN trigger: this stage needs a backend",
                   stage.location);
    PLINTH_CHECK(builder.Apply(*ins, -1));
  }
  for (size_t i = 0; i < stage.instructions.size(); ++i) {
    options_.progress.Step(step_prefix + std::to_string(i + 2) + step_count +
                           stage.instructions[i].original);
    PLINTH_CHECK(builder.Apply(stage.instructions[i], static_cast<int>(i)));
  }
  return builder.Take();
}

}  // namespace plinth::builder
