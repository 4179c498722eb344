#include "builder/run_step.h"

#include <charconv>
#include <regex>
#include <set>

#include "dockerfile/heredoc.h"
#include "util/safe_path.h"

namespace plinth::builder {
namespace {

using dockerfile::CommandForm;
using dockerfile::Instruction;
using dockerfile::MountType;

// BuildKit's MustParseHeredoc: the whole command is one heredoc marker ("<<EOF", "<<-'EOF'").
bool IsOnlyHeredoc(const std::string& command) {
  static const std::regex kHeredoc(R"(^\s*[0-9]*<<-?\s*(["']?)[^<\s"']+\1\s*$)");
  return std::regex_match(command, kHeredoc);
}

template <typename T>
Result<T> Number(const std::string& what, const std::string& text, int base = 10) {
  T v = 0;
  auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), v, base);
  if (ec != std::errc() || p != text.data() + text.size() || text.empty())
    return InvalidInput("--mount " + what + "=" + text + " is not a number");
  return v;
}

// tmpfs size: bytes, or with a k/m/g suffix (docker's RAMInBytes, binary units).
Result<uint64_t> ParseSize(const std::string& text) {
  static const std::regex kSize(R"(^([0-9]+)\s*([kKmMgGtT]?)[iI]?[bB]?$)");
  std::smatch m;
  if (!std::regex_match(text, m, kSize))
    return InvalidInput("--mount size=" + text + " is not a size");
  PLINTH_TRY(uint64_t n, Number<uint64_t>("size", m[1].str()));
  int shift = 0;
  switch (m[2].str().empty() ? ' ' : std::tolower(m[2].str()[0])) {
    case 'k':
      shift = 10;
      break;
    case 'm':
      shift = 20;
      break;
    case 'g':
      shift = 30;
      break;
    case 't':
      shift = 40;
      break;
  }
  if (shift && n > (UINT64_MAX >> shift))
    return InvalidInput("--mount size=" + text + " is too big");
  return n << shift;
}

// Whether the --mount text asked for rw: a bind is read-only unless it did.
bool AskedWritable(const std::string& flag) {
  static const std::regex kRw(R"((^|,)\s*(rw|readwrite)(=(true|1))?\s*(,|$))", std::regex::icase);
  return std::regex_search(flag, kRw);
}

}  // namespace

Result<std::pair<std::vector<std::string>, std::vector<PipeFile>>> RunArgv(
    const Instruction& ins, const std::vector<std::string>& image_shell) {
  const auto& cmd = ins.command;
  std::vector<PipeFile> pipes;
  if (cmd.form == CommandForm::kExec) return std::pair(cmd.args, pipes);
  std::string command = cmd.args.empty() ? "" : cmd.args[0];
  if (!ins.heredocs.empty()) {
    if (IsOnlyHeredoc(command)) {
      const auto& h = ins.heredocs[0];
      std::string data = h.chomp ? dockerfile::ChompHeredocContent(h.content) : h.content;
      // BuildKit: a body with a shebang is written to a file and run; any other body is the
      // shell's command. Expansion is left to the shell in both cases.
      if (data.rfind("#!", 0) == 0) {
        pipes.push_back({h.name, data});
        command = "/dev/pipes/" + h.name;
      } else {
        command = data;
      }
    } else {
      for (const auto& h : ins.heredocs) command += "\n" + h.content + h.name;
    }
  }
  std::vector<std::string> argv = image_shell;
  if (argv.empty()) argv = {"/bin/sh", "-c"};
  argv.push_back(command);
  return std::pair(argv, pipes);
}

Result<std::vector<StepMount>> ResolveRunMounts(const Instruction& ins,
                                                const dockerfile::Environment& vars,
                                                char escape_token, const std::string& cwd) {
  dockerfile::ShellLex lex({.escape_token = escape_token});
  std::vector<std::string> flags;
  for (const auto& f : ins.flags)
    if (f.rfind("--mount=", 0) == 0 || f.rfind("--mount ", 0) == 0) flags.push_back(f.substr(8));
  std::vector<StepMount> out;
  std::set<std::string> targets;
  for (size_t i = 0; i < ins.run.mounts.size(); ++i) {
    const dockerfile::Mount& m = ins.run.mounts[i];
    auto word = [&](const std::string& text) -> Result<std::string> {
      auto r = lex.ProcessWord(text, vars);
      if (!r) return r.error().Context("--mount");
      return r;
    };
    StepMount s;
    s.type = m.type;
    if (m.type == MountType::kSsh)
      return InvalidInput(
          "RUN --mount=type=ssh is not supported yet by the native backend; use "
          "--backend buildah");
    PLINTH_TRY(std::string target, word(m.target));
    PLINTH_TRY(s.id, word(m.id));
    PLINTH_TRY(s.from, word(m.from));
    PLINTH_TRY(std::string source, word(m.source));
    PLINTH_TRY(s.env, word(m.env));
    if (m.type == MountType::kSecret && target.empty() && s.env.empty()) {
      if (s.id.empty()) return InvalidInput("--mount=type=secret needs an id or a target");
      target = "/run/secrets/" + s.id;
    }
    if (m.type == MountType::kSecret && s.id.empty() && !target.empty())
      s.id = target.substr(target.find_last_of('/') + 1);
    if (!target.empty()) {
      if (target[0] != '/') target = (cwd.empty() ? "/" : cwd) + "/" + target;
      s.target = CleanPath(target);
      if (s.target == "/")
        return InvalidInput("--mount target " + m.target + ": cannot mount over /");
      if (!targets.insert(s.target).second)
        return InvalidInput("--mount target " + s.target + " is mounted twice");
    }
    if (m.type == MountType::kCache && s.id.empty()) s.id = s.target;
    s.source = source.empty() ? "" : CleanPath("/" + source);
    if (!m.sharing.empty()) s.sharing = m.sharing;
    if (!m.uid.empty()) {
      PLINTH_TRY(s.uid, Number<uint32_t>("uid", m.uid));
    }
    if (!m.gid.empty()) {
      PLINTH_TRY(s.gid, Number<uint32_t>("gid", m.gid));
    }
    if (!m.mode.empty()) {
      PLINTH_TRY(uint32_t mode, Number<uint32_t>("mode", m.mode, 8));
      if (mode > 07777) return InvalidInput("--mount mode=" + m.mode + " is not a file mode");
      s.mode = mode;
    }
    if (!m.size.empty()) {
      PLINTH_TRY(s.size, ParseSize(m.size));
    }
    s.required = m.required;
    switch (m.type) {
      case MountType::kBind:
        s.writable = i < flags.size() && AskedWritable(flags[i]) && !m.readonly;
        break;
      case MountType::kCache:
      case MountType::kTmpfs:
        s.writable = !m.readonly;
        break;
      case MountType::kSecret:
      case MountType::kSsh:
        s.writable = false;
        break;
    }
    out.push_back(std::move(s));
  }
  return out;
}

Result<StepProcess> ResolveRunProcess(const RunStepInput& in) {
  const Instruction& ins = *in.ins;
  const oci::RuntimeConfig& config = *in.config;
  StepProcess p;
  PLINTH_TRY(auto argv, RunArgv(ins, config.shell));
  p.argv = std::move(argv.first);
  p.pipes = std::move(argv.second);
  // Env: the image's, then the ARGs ENV does not set (ENV wins, as in expansion), then PATH.
  std::set<std::string> set_names;
  for (const auto& kv : config.env) {
    p.env.push_back(kv);
    set_names.insert(kv.substr(0, kv.find('=')));
  }
  for (const auto& arg : in.args) {
    if (!arg.value || set_names.count(arg.name)) continue;
    p.env.push_back(arg.name + "=" + *arg.value);
    set_names.insert(arg.name);
  }
  if (!set_names.count("PATH")) p.env.push_back(std::string("PATH=") + kDefaultPath);
  p.cwd = config.working_dir.empty() ? "/" : CleanPath(config.working_dir);
  auto user = ResolveExecUser(config.user, in.passwd, in.group);
  if (!user) return user.error();
  p.user = *user;
  p.network_name = ins.run.network.empty() ? "default" : ins.run.network;
  p.network = p.network_name == "none" ? run::RunNetwork::kNone : run::RunNetwork::kHost;
  if (in.vars) {
    PLINTH_TRY(p.mounts, ResolveRunMounts(ins, *in.vars, in.escape_token, p.cwd));
  }
  // BuildKit's runCommandString: "|N K=v …" for the stage's ARGs, each with the value the
  // step's environment gives it (ENV over ARG), then the argv.
  std::vector<std::string> shown;
  std::map<std::string, size_t> index;
  for (const auto& arg : in.args) {
    std::optional<std::string> v = config.GetEnv(arg.name);
    if (!v) v = arg.value;
    std::string kv = arg.name + "=" + v.value_or("");
    if (auto it = index.find(arg.name); it != index.end())
      shown[it->second] = kv;
    else
      index[arg.name] = shown.size(), shown.push_back(kv);
  }
  std::string text;
  if (!shown.empty()) {
    text = "|" + std::to_string(shown.size());
    for (const auto& s : shown) text += " " + s;
  }
  for (const auto& a : p.argv) text += (text.empty() ? "" : " ") + a;
  p.created_by = "RUN " + text + " # buildkit";
  return p;
}

Result<BuildSecret> ParseSecretFlag(const std::string& value) {
  BuildSecret s;
  std::string type;
  size_t start = 0;
  while (start <= value.size()) {
    size_t comma = value.find(',', start);
    std::string field =
        value.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    start = comma == std::string::npos ? value.size() + 1 : comma + 1;
    if (field.empty()) continue;
    size_t eq = field.find('=');
    if (eq == std::string::npos)
      return InvalidInput("--secret " + value + ": '" + field + "' is not key=value");
    std::string key = field.substr(0, eq), v = field.substr(eq + 1);
    if (key == "id")
      s.id = v;
    else if (key == "src" || key == "source")
      s.src = v;
    else if (key == "env")
      s.env = v;
    else if (key == "type")
      type = v;
    else
      return InvalidInput("--secret " + value + ": unknown key '" + key + "' (id, src, env, type)");
  }
  if (type != "" && type != "file" && type != "env")
    return InvalidInput("--secret " + value + ": type must be file or env");
  if (s.id.empty()) {
    if (s.src.empty() && s.env.empty()) return InvalidInput("--secret " + value + ": needs id=");
    s.id = !s.env.empty() ? s.env : s.src.substr(s.src.find_last_of('/') + 1);
  }
  if (s.src.empty() && s.env.empty()) {
    // docker build: `type=env` (or no source) reads the variable named by the id.
    if (type == "file") return InvalidInput("--secret " + value + ": needs src=");
    s.env = s.id;
  }
  if (!s.src.empty() && !s.env.empty())
    return InvalidInput("--secret " + value + ": give src= or env=, not both");
  return s;
}

}  // namespace plinth::builder
