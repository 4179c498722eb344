// What the image runs: every ELF file is for the image's machine (PA130); the entrypoint and
// cmd, and an exec-form HEALTHCHECK, resolve through the config's PATH to an executable file
// (PA131); a script's interpreter and an ELF program's PT_INTERP exist (PA132); every
// DT_NEEDED library of the program, and of the libraries it loads, is where the dynamic loader
// would look: DT_RPATH (without DT_RUNPATH), LD_LIBRARY_PATH from Env, DT_RUNPATH ($ORIGIN
// expanded), /etc/ld.so.conf and /etc/ld.so.conf.d/*.conf, then the default and multiarch
// folders (PA133). A library for another machine is skipped, as the loader skips it.
#include <deque>
#include <set>

#include "audit/audit_context.h"
#include "audit/image_paths.h"
#include "debian/elf_arch.h"

namespace plinth::audit {
namespace {

constexpr std::string_view kDefaultPath =
    "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

// The Debian architecture of an OCI platform architecture.
std::string DebianArch(const oci::Platform& platform) {
  const std::string& a = platform.architecture;
  if (a == "386") return "i386";
  if (a == "ppc64le") return "ppc64el";
  if (a == "arm") return platform.variant == "v5" ? "armel" : "armhf";
  return a;
}

std::string MultiarchTriplet(const oci::Platform& platform) {
  const std::string& a = platform.architecture;
  if (a == "amd64") return "x86_64-linux-gnu";
  if (a == "arm64") return "aarch64-linux-gnu";
  if (a == "arm") return platform.variant == "v5" ? "arm-linux-gnueabi" : "arm-linux-gnueabihf";
  if (a == "386") return "i386-linux-gnu";
  if (a == "ppc64le") return "powerpc64le-linux-gnu";
  if (a == "s390x") return "s390x-linux-gnu";
  if (a == "riscv64") return "riscv64-linux-gnu";
  return "";
}

std::vector<std::string> SplitList(std::string_view text, char sep) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find(sep, start);
    if (end == std::string_view::npos) end = text.size();
    if (end > start) out.emplace_back(text.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

std::optional<std::string> EnvValue(const std::vector<std::string>& env, std::string_view key) {
  std::optional<std::string> value;
  for (const std::string& kv : env)
    if (kv.size() > key.size() && kv.compare(0, key.size(), key) == 0 && kv[key.size()] == '=')
      value = kv.substr(key.size() + 1);
  return value;
}

class CommandChecker {
 public:
  explicit CommandChecker(AuditContext& ctx) : ctx_(ctx), facts_(ctx.facts()) {
    const oci::Platform& platform = ctx.image().config.platform;
    machine_ = debian::MachineForArch(DebianArch(platform));
    const auto& env = ctx.image().config.config.env;
    path_ = SplitList(EnvValue(env, "PATH").value_or(std::string(kDefaultPath)), ':');
    library_path_ = SplitList(EnvValue(env, "LD_LIBRARY_PATH").value_or(""), ':');
    // /etc/ld.so.conf's own folders, then every ld.so.conf.d/*.conf (the usual `include`).
    for (const auto& [path, text] : facts_.small_files) {
      if (path != "etc/ld.so.conf" && !path.starts_with("etc/ld.so.conf.d/")) continue;
      for (std::string& line : SplitList(text, '\n')) {
        size_t hash = line.find('#');
        if (hash != std::string::npos) line.resize(hash);
        while (!line.empty() && (line.back() == ' ' || line.back() == '\t' || line.back() == '\r'))
          line.pop_back();
        if (line.empty() || line.starts_with("include")) continue;
        conf_dirs_.push_back(line);
      }
    }
    std::string triplet = MultiarchTriplet(platform);
    for (const char* root : {"/lib", "/usr/lib"}) {
      if (!triplet.empty()) default_dirs_.push_back(std::string(root) + "/" + triplet);
      default_dirs_.push_back(root);
    }
    for (const char* d : {"/lib64", "/usr/lib64", "/lib32", "/usr/lib32"})
      default_dirs_.emplace_back(d);
  }

  // `argv` as the runtime gets it; `what` names it in messages ("entrypoint", "HEALTHCHECK").
  void Check(const std::vector<std::string>& argv, const std::string& what) {
    if (argv.empty() || argv[0].empty()) return;
    std::string working_dir = ctx_.image().config.config.working_dir;
    auto program = FindProgram(argv[0], working_dir);
    if (!program) {
      ctx_.Report(rules::kCommandMissing, "",
                  what + " " + Quote(argv) + ": \"" + argv[0] + "\" is not an executable file " +
                      (argv[0].find('/') == std::string::npos
                           ? "in any folder of PATH (" + Joined(path_, ":") + ")"
                           : "in the image"));
      return;
    }
    CheckProgram(*program, what + " " + Quote(argv), 0);
  }

 private:
  static std::string Quote(const std::vector<std::string>& argv) {
    std::string out = "[";
    for (size_t i = 0; i < argv.size() && i < 4; ++i) out += (i ? ", \"" : "\"") + argv[i] + "\"";
    if (argv.size() > 4) out += ", …";
    return out + "]";
  }
  static std::string Joined(const std::vector<std::string>& parts, const char* sep) {
    std::string out;
    for (const auto& p : parts) out += (out.empty() ? "" : sep) + p;
    return out;
  }

  // The resolved path of an executable named as argv[0] (or a script's interpreter) is.
  std::optional<std::string> FindProgram(const std::string& name, const std::string& cwd) {
    if (name.find('/') != std::string::npos) {
      auto resolved = ResolveImagePath(facts_, JoinImagePath(cwd, name));
      if (resolved && IsExecutable(*resolved)) return resolved->path;
      return std::nullopt;
    }
    for (const std::string& dir : path_) {
      auto resolved = ResolveImagePath(facts_, JoinImagePath(dir, name));
      if (resolved && IsExecutable(*resolved)) return resolved->path;
    }
    return std::nullopt;
  }

  void CheckProgram(const std::string& path, const std::string& what, int depth) {
    auto it = facts_.files.find(path);
    if (it == facts_.files.end()) return;
    const FileFacts& f = it->second;
    if (f.elf) {
      CheckElf(path, f, what);
      return;
    }
    if (f.shebang.empty() || depth > 3) return;
    std::vector<std::string> words = SplitList(f.shebang, ' ');
    if (words.empty()) return;
    std::string interpreter = words[0];
    auto found = FindProgram(interpreter, "");
    if (found && BaseName(interpreter) == "env") {
      // `#!/usr/bin/env python3`: env runs the first word that is not an option, from PATH.
      CheckProgram(*found, what, depth + 1);
      for (size_t i = 1; i < words.size(); ++i) {
        if (words[i].starts_with("-")) continue;
        auto program = FindProgram(words[i], "");
        if (!program) {
          ctx_.Report(rules::kInterpreterMissing, path,
                      what + ": /" + path + " starts with #!" + f.shebang + ", and \"" + words[i] +
                          "\" is not an executable file in PATH");
          return;
        }
        CheckProgram(*program, what, depth + 1);
        return;
      }
      return;
    }
    if (!found) {
      ctx_.Report(rules::kInterpreterMissing, path,
                  what + ": /" + path + " starts with #!" + f.shebang + ", and " + interpreter +
                      " is not an executable file in the image");
      return;
    }
    CheckProgram(*found, what, depth + 1);
  }

  void CheckElf(const std::string& path, const FileFacts& f, const std::string& what) {
    const ElfInfo& elf = *f.elf;
    if (!elf.note.empty()) {
      ctx_.Report(rules::kElfNotInspected, path,
                  what + ": /" + path + " was not read far enough to know its libraries (" +
                      elf.note + ")");
    }
    if (!elf.interpreter.empty()) {
      auto interp = ResolveImagePath(facts_, elf.interpreter);
      if (!interp || !interp->file ||
          (interp->file->type != layer::EntryType::kRegular &&
           interp->file->type != layer::EntryType::kHardLink)) {
        ctx_.Report(rules::kInterpreterMissing, path,
                    what + ": /" + path + " is dynamically linked and needs the loader " +
                        elf.interpreter + ", which the image does not have");
        return;  // without a loader the libraries are moot
      }
    }
    // Breadth first through the libraries, each looked up with its own runpath.
    std::deque<std::string> todo{path};
    std::set<std::string> seen{path};
    while (!todo.empty()) {
      std::string object = todo.front();
      todo.pop_front();
      const FileFacts& of = facts_.files.find(object)->second;
      if (!of.elf) continue;
      for (const std::string& lib : of.elf->needed) {
        auto found = FindLibrary(object, *of.elf, lib);
        if (!found) {
          ctx_.Report(rules::kLibraryMissing, object,
                      what + ": /" + object + " needs " + lib +
                          ", which the dynamic loader would not find in the image");
          continue;
        }
        if (seen.insert(*found).second) todo.push_back(*found);
      }
    }
  }

  std::optional<std::string> FindLibrary(const std::string& object, const ElfInfo& elf,
                                         const std::string& lib) {
    if (lib.find('/') != std::string::npos) {
      auto r = ResolveImagePath(facts_, JoinImagePath("", lib));
      if (r && r->file && facts_.files.count(r->path)) return r->path;
      return std::nullopt;
    }
    std::string origin = "/" + ParentOf(object);
    auto expand = [&](std::string dir) {
      for (const char* token : {"${ORIGIN}", "$ORIGIN"}) {
        size_t at;
        while ((at = dir.find(token)) != std::string::npos)
          dir.replace(at, std::string_view(token).size(), origin);
      }
      return dir;
    };
    std::vector<std::string> dirs;
    if (elf.runpath.empty())
      for (const auto& d : elf.rpath) dirs.push_back(expand(d));
    for (const auto& d : library_path_) dirs.push_back(d);
    for (const auto& d : elf.runpath) dirs.push_back(expand(d));
    for (const auto& d : conf_dirs_) dirs.push_back(d);
    for (const auto& d : default_dirs_) dirs.push_back(d);
    for (const std::string& dir : dirs) {
      if (dir.find('$') != std::string::npos) continue;  // $LIB, $PLATFORM: not modelled
      auto r = ResolveImagePath(facts_, JoinImagePath(dir, lib));
      if (!r || !r->file) continue;
      const FileFacts& lf = *r->file;
      if (lf.type != layer::EntryType::kRegular && lf.type != layer::EntryType::kHardLink) continue;
      // The loader skips a library built for another machine or class.
      if (lf.elf && (lf.elf->machine != elf.machine || lf.elf->is64 != elf.is64)) continue;
      return r->path;
    }
    return std::nullopt;
  }

  AuditContext& ctx_;
  const ImageFacts& facts_;
  std::optional<unsigned> machine_;
  std::vector<std::string> path_, library_path_, conf_dirs_, default_dirs_;
};

}  // namespace

void CheckElfMachines(AuditContext& ctx) {
  const oci::Platform& platform = ctx.image().config.platform;
  std::string arch = DebianArch(platform);
  auto machine = debian::MachineForArch(arch);
  if (!machine) return;  // an architecture the table does not know: nothing to compare with
  bool want64 = arch == "amd64" || arch == "arm64" || arch == "ppc64el" || arch == "s390x" ||
                arch == "riscv64";
  for (const auto& [path, f] : ctx.facts().files) {
    if (!f.elf || f.type != layer::EntryType::kRegular) continue;
    if (f.elf->machine != *machine || f.elf->is64 != want64)
      ctx.Report(rules::kElfArchitecture, path,
                 "/" + path + " is a " + (f.elf->is64 ? "64" : "32") + "-bit " +
                     debian::MachineName(f.elf->machine) + " ELF file; the image is for " +
                     platform.os + "/" + platform.architecture +
                     (platform.variant.empty() ? "" : "/" + platform.variant) + " (" +
                     (want64 ? "64" : "32") + "-bit " + debian::MachineName(*machine) + ")");
  }
}

void CheckCommands(AuditContext& ctx) {
  const oci::RuntimeConfig& config = ctx.image().config.config;
  CommandChecker checker(ctx);
  std::vector<std::string> argv;
  if (config.entrypoint) argv = *config.entrypoint;
  if (config.cmd) argv.insert(argv.end(), config.cmd->begin(), config.cmd->end());
  checker.Check(argv, config.entrypoint && !config.entrypoint->empty() ? "entrypoint" : "cmd");
  if (config.healthcheck && !config.healthcheck->test.empty()) {
    const auto& test = config.healthcheck->test;
    if (test[0] == "CMD") {
      checker.Check(std::vector<std::string>(test.begin() + 1, test.end()), "HEALTHCHECK");
    } else if (test[0] == "CMD-SHELL") {
      checker.Check({"/bin/sh", "-c", test.size() > 1 ? test[1] : ""}, "HEALTHCHECK CMD-SHELL");
    }
  }
}

}  // namespace plinth::audit
