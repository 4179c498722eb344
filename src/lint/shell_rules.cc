// The shell rules (see shell_rules.h). Each check follows hadolint's documented behaviour,
// quirks included (which words count as flags, which rm counts as a cleanup): a team switching
// from hadolint gets the findings it had, no more and no fewer. Most rules report a RUN once,
// however many of its commands are at fault; the message names them.
#include "lint/shell_rules.h"

#include <cstdlib>
#include <functional>
#include <optional>
#include <set>

#include "lint/shell_command.h"
#include "util/ascii.h"

namespace plinth::lint {
namespace {

using dockerfile::CommandForm;
using dockerfile::Instruction;
using dockerfile::InstructionKind;

// One RUN (or ONBUILD RUN) with its commands.
struct RunView {
  const Instruction* run;  // the RUN itself (an ONBUILD's trigger for ONBUILD RUN)
  Location where;          // of the instruction as written (the ONBUILD for ONBUILD RUN)
  bool onbuild = false;
  ShellScript script;
};

std::string Joined(const std::vector<std::string>& words) {
  std::string out;
  for (const auto& w : words) out += (out.empty() ? "" : " ") + w;
  return out;
}

bool Any(const ShellScript& s, const std::function<bool(const ShellCommand&)>& f) {
  for (const auto& c : s.commands)
    if (f(c)) return true;
  return false;
}

// Index of the first command `f` holds for; -1 if none.
int IndexOf(const ShellScript& s, const std::function<bool(const ShellCommand&)>& f) {
  for (size_t i = 0; i < s.commands.size(); ++i)
    if (f(s.commands[i])) return static_cast<int>(i);
  return -1;
}

bool Contains(const std::string& s, std::string_view part) {
  return s.find(part) != std::string::npos;
}

bool IsOneOf(const std::string& s, std::initializer_list<std::string_view> names) {
  for (auto n : names)
    if (s == n) return true;
  return false;
}

std::vector<std::string> Without(std::vector<std::string> words,
                                 std::initializer_list<std::string_view> drop) {
  std::erase_if(words, [&](const std::string& w) { return IsOneOf(w, drop); });
  return words;
}

// Words after the first "install", without further "install"s (hadolint's stripInstallPrefix).
std::vector<std::string> AfterInstall(const std::vector<std::string>& words) {
  auto it = std::find(words.begin(), words.end(), "install");
  while (it != words.end() && *it == "install") ++it;
  return {it, words.end()};
}

// The packages in `packages` that `pinned` rejects, for a message; nullopt if there are none.
std::optional<std::string> Unpinned(const std::vector<std::string>& packages,
                                    const std::function<bool(const std::string&)>& pinned) {
  std::string out;
  for (const auto& p : packages)
    if (!pinned(p)) out += (out.empty() ? "" : ", ") + p;
  if (out.empty()) return std::nullopt;
  return out;
}

// --- apt -----------------------------------------------------------------------------------

bool IsAptGetInstall(const ShellCommand& c) { return c.Is("apt-get", {"install"}); }

// apt-get's quiet level: -q, --quiet each count one, -qq two, -q=N / --quiet=N set it. Level 2
// implies --assume-yes.
int QuietLevel(const ShellCommand& c) {
  int level = 0;
  for (const auto& a : c.Args()) {
    if (a.starts_with("-q=") || a.starts_with("--quiet=")) {
      level = std::atoi(a.c_str() + a.find('=') + 1);
    } else if (a == "--quiet") {
      ++level;
    } else if (a.starts_with("-") && !a.starts_with("--")) {
      for (char ch : a.substr(1)) level += ch == 'q';
    }
  }
  return level;
}

std::vector<std::string> AptGetPackages(const ShellScript& s) {
  std::vector<std::string> out;
  for (const auto& c : s.commands) {
    if (!IsAptGetInstall(c)) continue;
    for (auto& p : Without(c.ArgsNoFlags({"t", "target-release"}), {"install"}))
      out.push_back(std::move(p));
  }
  return out;
}

bool AptPinned(const std::string& p) {
  return Contains(p, "=") || Contains(p, "/") || p.ends_with(".deb");
}

bool AptUpdateWithoutCleanup(const ShellScript& s) {
  bool update = Any(s, [](const ShellCommand& c) { return c.Is("apt-get", {"update"}); });
  bool cleanup = Any(s, [](const ShellCommand& c) {
    return c.Is("rm", {"-rf", "/var/lib/apt/lists/*"});
  });
  return update && !cleanup;
}

bool HasCacheMount(const Instruction& run, std::string_view dir) {
  for (const auto& m : run.run.mounts)
    if (m.type == dockerfile::MountType::kCache && m.target.starts_with(dir)) return true;
  return false;
}

// --- apk, gem, npm, pip, yarn --------------------------------------------------------------

std::vector<std::string> ApkAddPackages(const ShellScript& s) {
  std::vector<std::string> out;
  for (const auto& c : s.commands) {
    if (!c.Is("apk", {"add"})) continue;
    for (auto& p : Without(c.ArgsNoFlags({"t", "virtual", "repository", "X"}), {"add"}))
      out.push_back(std::move(p));
  }
  return out;
}

std::vector<std::string> Gems(const ShellScript& s) {
  std::vector<std::string> out;
  for (const auto& c : s.commands) {
    if (!c.Is("gem", {"install", "i"}) || c.HasArg("-v") || c.HasArg("--version")) continue;
    bool version_flag = false;
    for (const auto& a : c.Args()) version_flag = version_flag || a.starts_with("--version=");
    if (version_flag) continue;
    // The gems are the words after install, up to the first option: what follows
    // (`--use-system-libraries true`, `-- --build-flag`) configures the build, as hadolint reads
    // it.
    std::vector<std::string> args = c.Args();
    auto it = std::find_if(args.begin(), args.end(),
                           [](const std::string& a) { return a == "install" || a == "i"; });
    if (it == args.end()) continue;
    for (++it; it != args.end() && !it->starts_with("-"); ++it) out.push_back(*it);
  }
  return out;
}

bool IsPipInstall(const ShellCommand& c) {
  std::string name = c.Name();
  std::vector<std::string> args = c.Args();
  if (name.starts_with("pip")) return std::find(args.begin(), args.end(), "install") != args.end();
  if (!name.starts_with("python")) return false;
  for (size_t i = 0; i + 2 < args.size(); ++i)
    if (args[i] == "-m" && args[i + 1] == "pip" && args[i + 2] == "install") return true;
  return false;
}

bool IsPipWrapper(const ShellCommand& c) {
  std::string name = c.Name();
  std::vector<std::string> args = c.Args();
  for (const char* w : {"pipx", "pipenv"}) {
    if (Contains(name, w)) return true;
    if (name.starts_with("python"))
      for (size_t i = 0; i + 1 < args.size(); ++i)
        if (args[i] == "-m" && args[i + 1] == w) return true;
  }
  return false;
}

bool PipVcs(const std::string& p) {
  static const char* kSchemes[] = {
      "git+file", "git+https", "git+ssh",   "git+http", "git+git",        "git",
      "hg+file",  "hg+http",   "hg+https",  "hg+ssh",   "hg+static-http", "svn",
      "svn+svn",  "svn+http",  "svn+https", "svn+ssh",  "bzr+http",       "bzr+https",
      "bzr+ssh",  "bzr+sftp",  "bzr+ftp",   "bzr+lp"};
  for (const char* s : kSchemes)
    if (p.starts_with(s)) return true;
  return false;
}

bool PipPinned(const std::string& p) {
  for (const char* s : {"==", ">=", "<=", ">", "<", "!=", "~=", "==="})
    if (Contains(p, s)) return true;
  bool vcs = PipVcs(p);
  return (vcs && Contains(p, "@")) || p.ends_with(".whl") || p.ends_with(".tar.gz") ||
         (!vcs && Contains(p, "/"));
}

std::optional<std::string> PipUnpinned(const ShellCommand& c) {
  if (!IsPipInstall(c) || c.HasFlag("constraint") || c.HasFlag("c")) return std::nullopt;
  if (c.HasArg("--requirement") || c.HasArg("-r") || c.HasArg(".")) return std::nullopt;
  auto packages = AfterInstall(c.ArgsNoFlags({"abi",
                                              "b",
                                              "build",
                                              "e",
                                              "editable",
                                              "extra-index-url",
                                              "f",
                                              "find-links",
                                              "i",
                                              "index-url",
                                              "implementation",
                                              "no-binary",
                                              "only-binary",
                                              "platform",
                                              "prefix",
                                              "progress-bar",
                                              "proxy",
                                              "python-version",
                                              "root",
                                              "src",
                                              "t",
                                              "target",
                                              "trusted-host",
                                              "upgrade-strategy"}));
  return Unpinned(packages, PipPinned);
}

bool NpmPinned(const std::string& p) {
  for (const char* g : {"git://", "git+ssh://", "git+http://", "git+https://"})
    if (p.starts_with(g)) return Contains(p, "#");
  for (const char* t : {".tar", ".tar.gz", ".tgz"})
    if (p.ends_with(t)) return true;
  for (const char* d : {"/", "./", "../", "~/"})
    if (p.starts_with(d)) return true;
  std::string name = p;
  if (name.starts_with("@"))
    name = name.substr(
        std::min(name.size(), name.find('/') == std::string::npos ? name.size() : name.find('/')));
  return Contains(name, "@");
}

std::optional<std::string> NpmUnpinned(const ShellCommand& c) {
  if (!c.Is("npm", {"install"})) return std::nullopt;
  auto words = c.ArgsNoFlags({"loglevel"});
  if (words.empty() || words[0] != "install") return std::nullopt;
  return Unpinned(AfterInstall(words), NpmPinned);
}

// --- yum, dnf, microdnf, zypper ------------------------------------------------------------

bool RpmLike(const std::string& p) { return p.ends_with(".rpm"); }

bool DnfVersionLike(const std::string& p) {
  auto dash = p.find('-');
  if (dash == std::string::npos) return false;
  if (RpmLike(p)) return true;
  bool digit_start = false;
  size_t start = dash + 1;
  while (true) {
    size_t end = p.find('-', start);
    std::string part = p.substr(start, end == std::string::npos ? std::string::npos : end - start);
    for (char ch : part)
      if (!std::isalnum(static_cast<unsigned char>(ch)) &&
          std::string_view(".~^_:+").find(ch) == std::string_view::npos)
        return false;
    if (!part.empty() && std::isdigit(static_cast<unsigned char>(part[0]))) digit_start = true;
    if (end == std::string::npos) break;
    start = end + 1;
  }
  return digit_start;
}

bool DnfHas(const ShellCommand& c, std::initializer_list<std::string_view> args) {
  return c.Is("dnf", args) || c.Is("microdnf", args);
}

// --- the per-RUN rules ---------------------------------------------------------------------

// A rule that looks at one RUN at a time: a message if it fails, nullopt if it passes.
struct SimpleRule {
  const char* code;
  bool onbuild;  // hadolint also checks ONBUILD RUN
  std::function<std::optional<std::string>(const RunView&)> check;
  const char* hint;
};

std::optional<std::string> If(bool fails, std::string message) {
  if (!fails) return std::nullopt;
  return message;
}

std::optional<std::string> UsesProgram(const ShellScript& s, const std::string& name,
                                       std::string message) {
  return If(Any(s, [&](const ShellCommand& c) { return c.Name() == name; }), std::move(message));
}

std::optional<std::string> MissingFlag(const ShellScript& s,
                                       const std::function<bool(const ShellCommand&)>& is,
                                       const std::function<bool(const ShellCommand&)>& has_flag,
                                       std::string message) {
  return If(Any(s, [&](const ShellCommand& c) { return is(c) && !has_flag(c); }),
            std::move(message));
}

const std::vector<SimpleRule>& SimpleRules() {
  static const std::vector<SimpleRule> rules = {
      {"PL230", true,
       [](const RunView& r) -> std::optional<std::string> {
         for (const auto& c : r.script.commands)
           if (IsOneOf(c.Name(),
                       {"free", "kill", "mount", "ps", "service", "shutdown", "ssh", "top", "vim"}))
             return "`" + c.Name() + "` makes no sense in a container build";
         return std::nullopt;
       },
       "drop the command; a build step has no terminal, services or other processes to manage"},
      {"PL231", false,
       [](const RunView& r) {
         return UsesProgram(r.script, "cd", "Use WORKDIR to switch to a directory");
       },
       "set WORKDIR before the RUN, or run the command in a subshell with an absolute path"},
      {"PL232", true,
       [](const RunView& r) {
         return UsesProgram(r.script, "sudo",
                            "Do not use sudo as it leads to unpredictable behavior");
       },
       "RUN as root already (USER root), or use gosu/su-exec to drop privileges"},
      {"PL233", true,
       [](const RunView& r) -> std::optional<std::string> {
         auto bad = Unpinned(AptGetPackages(r.script), AptPinned);
         if (!bad) return std::nullopt;
         return "Pin versions in apt-get install (" + *bad + ")";
       },
       "write apt-get install <package>=<version>"},
      {"PL235", true,
       [](const RunView& r) -> std::optional<std::string> {
         for (const auto& c : r.script.commands)
           if (auto bad = PipUnpinned(c)) return "Pin versions in pip install (" + *bad + ")";
         return std::nullopt;
       },
       "write pip install <package>==<version>, or pip install -r requirements.txt"},
      {"PL236", true,
       [](const RunView& r) {
         return MissingFlag(
             r.script, IsAptGetInstall,
             [](const ShellCommand& c) {
               return c.HasAnyFlag({"y", "yes", "assume-yes"}) || QuietLevel(c) >= 2;
             },
             "Use the -y switch to avoid manual input: apt-get -y install");
       },
       "write apt-get install -y"},
      {"PL237", true,
       [](const RunView& r) {
         return MissingFlag(
             r.script, IsAptGetInstall,
             [](const ShellCommand& c) {
               return c.HasFlag("no-install-recommends") ||
                      c.HasArg("APT::Install-Recommends=false");
             },
             "Avoid additional packages by specifying --no-install-recommends");
       },
       "write apt-get install --no-install-recommends"},
      {"PL238", true,
       [](const RunView& r) -> std::optional<std::string> {
         for (const auto& c : r.script.commands)
           if (auto bad = NpmUnpinned(c)) return "Pin versions in npm install (" + *bad + ")";
         return std::nullopt;
       },
       "write npm install <package>@<version>"},
      {"PL239", true,
       [](const RunView& r) -> std::optional<std::string> {
         auto bad = Unpinned(ApkAddPackages(r.script), [](const std::string& p) {
           return Contains(p, "=") || Contains(p, "~") || p.ends_with(".apk");
         });
         if (!bad) return std::nullopt;
         return "Pin versions in apk add (" + *bad + ")";
       },
       "write apk add <package>=<version>"},
      {"PL240", true,
       [](const RunView& r) {
         return MissingFlag(
             r.script,
             [&](const ShellCommand& c) {
               return c.Is("apk", {"add"}) && !HasCacheMount(*r.run, "/var/cache/apk");
             },
             [](const ShellCommand& c) { return c.HasFlag("no-cache"); },
             "Use the --no-cache switch to avoid the need to use --update and remove "
             "/var/cache/apk/*");
       },
       "write apk add --no-cache"},
      {"PL241", true,
       [](const RunView& r) {
         return UsesProgram(r.script, "apt",
                            "Do not use apt as it is meant to be an end-user tool, use apt-get or "
                            "apt-cache instead");
       },
       "write apt-get (or apt-cache)"},
      {"PL242", true,
       [](const RunView& r) -> std::optional<std::string> {
         auto bad = Unpinned(Gems(r.script), [](const std::string& p) { return Contains(p, ":"); });
         if (!bad) return std::nullopt;
         return "Pin versions in gem install (" + *bad + ")";
       },
       "write gem install <gem>:<version>"},
      {"PL243", true,
       [](const RunView& r) {
         return MissingFlag(
             r.script,
             [](const ShellCommand& c) {
               return c.Is("yum", {"install", "groupinstall", "localinstall"});
             },
             [](const ShellCommand& c) {
               return c.HasAnyFlag({"y", "assumeyes"});
             },
             "Use the -y switch to avoid manual input: yum install -y");
       },
       "write yum install -y"},
      {"PL244", true,
       [](const RunView& r) {
         bool install =
             Any(r.script, [](const ShellCommand& c) { return c.Is("yum", {"install"}); });
         bool clean = Any(r.script, [](const ShellCommand& c) {
           return c.Is("yum", {"clean", "all"}) || c.Is("rm", {"-rf", "/var/cache/yum/*"});
         });
         return If(install && !clean, "`yum clean all` missing after yum command");
       },
       "end the RUN with && yum clean all"},
      {"PL245", true,
       [](const RunView& r) -> std::optional<std::string> {
         std::vector<std::string> packages, modules;
         for (const auto& c : r.script.commands) {
           if (!c.Is("yum", {"install"})) continue;
           auto words = Without(c.ArgsNoFlags(), {"install", "module"});
           auto& into = c.Is("yum", {"module"}) ? modules : packages;
           into.insert(into.end(), words.begin(), words.end());
         }
         std::string bad;
         if (auto p = Unpinned(packages,
                               [](const std::string& p) { return Contains(p, "-") || RpmLike(p); }))
           bad = *p;
         if (auto m = Unpinned(modules, [](const std::string& p) { return Contains(p, ":"); }))
           bad += (bad.empty() ? "" : ", ") + *m;
         return If(!bad.empty(),
                   "Specify version with yum install -y <package>-<version> (" + bad + ")");
       },
       "write yum install -y <package>-<version>"},
      {"PL246", true,
       [](const RunView& r) {
         return MissingFlag(
             r.script,
             [](const ShellCommand& c) {
               return c.Is("zypper",
                           {"install", "in", "remove", "rm", "source-install", "si", "patch"});
             },
             [](const ShellCommand& c) {
               return c.HasAnyFlag({"no-confirm", "y", "n", "non-interactive"});
             },
             "Non-interactive switch missing from zypper command: zypper install -y");
       },
       "write zypper install -y"},
      {"PL247", true,
       [](const RunView& r) {
         return If(Any(r.script,
                       [](const ShellCommand& c) {
                         return c.Is("zypper", {"dist-upgrade", "dup"});
                       }),
                   "Do not use zypper dist-upgrade");
       },
       "install the packages you need; upgrade the base image instead"},
      {"PL248", true,
       [](const RunView& r) {
         int install = IndexOf(r.script, [](const ShellCommand& c) {
           return c.Is("zypper", {"install", "in"});
         });
         int clean = IndexOf(r.script, [](const ShellCommand& c) {
           return c.Is("zypper", {"clean", "cc"});
         });
         return If(install >= 0 && !(clean >= 0 && install < clean),
                   "`zypper clean` missing after zypper use");
       },
       "end the RUN with && zypper clean"},
      {"PL249", true,
       [](const RunView& r) -> std::optional<std::string> {
         std::vector<std::string> packages;
         for (const auto& c : r.script.commands)
           if (c.Is("zypper", {"install", "in"}))
             for (auto& p : Without(c.ArgsNoFlags(), {"install", "in"}))
               packages.push_back(std::move(p));
         auto bad = Unpinned(packages, [](const std::string& p) {
           return Contains(p, "=") || Contains(p, ">") || Contains(p, "<") || RpmLike(p);
         });
         if (!bad) return std::nullopt;
         return "Specify version with zypper install -y <package>=<version> (" + *bad + ")";
       },
       "write zypper install -y <package>=<version>"},
      {"PL250", true,
       [](const RunView& r) {
         return MissingFlag(
             r.script,
             [](const ShellCommand& c) {
               return DnfHas(c, {"install", "groupinstall", "localinstall"});
             },
             [](const ShellCommand& c) {
               return c.HasAnyFlag({"y", "assumeyes"});
             },
             "Use the -y switch to avoid manual input: dnf install -y");
       },
       "write dnf install -y"},
      {"PL251", true,
       [](const RunView& r) -> std::optional<std::string> {
         for (const char* name : {"dnf", "microdnf"}) {
           int install =
               IndexOf(r.script, [&](const ShellCommand& c) { return c.Is(name, {"install"}); });
           int clean = IndexOf(r.script, [&](const ShellCommand& c) {
             return c.Is(name, {"clean", "all"}) || c.Is("rm", {"-rf", "/var/cache/yum/*"});
           });
           if (install >= 0 && !(clean >= 0 && install < clean))
             return std::string("`") + name + " clean all` missing after " + name + " command";
         }
         return std::nullopt;
       },
       "end the RUN with && dnf clean all"},
      {"PL252", true,
       [](const RunView& r) -> std::optional<std::string> {
         std::vector<std::string> packages, modules;
         for (const auto& c : r.script.commands) {
           if (!DnfHas(c, {"install"})) continue;
           auto words = Without(c.ArgsNoFlags(), {"install", "module"});
           if (DnfHas(c, {"module"}))
             modules.insert(modules.end(), words.begin(), words.end());
           else if (!DnfHas(c, {"group"}))
             packages.insert(packages.end(), words.begin(), words.end());
         }
         std::string bad;
         if (auto p = Unpinned(packages, DnfVersionLike)) bad = *p;
         if (auto m = Unpinned(modules, [](const std::string& p) { return Contains(p, ":"); }))
           bad += (bad.empty() ? "" : ", ") + *m;
         return If(!bad.empty(),
                   "Specify version with dnf install -y <package>-<version> (" + bad + ")");
       },
       "write dnf install -y <package>-<version>"},
      {"PL254", false,
       [](const RunView& r) -> std::optional<std::string> {
         for (const auto& c : r.script.commands) {
           if (c.Name() != "useradd" || c.HasAnyFlag({"l", "no-log-init"}) ||
               !c.HasAnyFlag({"u", "uid"}))
             continue;
           for (const auto& uid : c.FlagValues("u"))
             if (uid.size() > 5)
               return "useradd without flag -l and high UID (" + uid +
                      ") will result in excessively large Image";
         }
         return std::nullopt;
       },
       "write useradd -l (--no-log-init)"},
      {"PL255", true,
       [](const RunView& r) {
         return MissingFlag(
             r.script, [](const ShellCommand& c) { return c.Name() == "wget"; },
             [](const ShellCommand& c) {
               return c.HasFlag("progress") ||
                      c.HasAnyFlag(
                          {"q", "quiet", "o", "output-file", "a", "append-output", "no-verbose"}) ||
                      c.HasArg("-nv");
             },
             "Avoid use of wget without progress bar");
       },
       "write wget --progress=dot:giga <url>, or wget -q / -nv"},
      {"PL258", true,
       [](const RunView& r) {
         return If(Any(r.script, [](const ShellCommand& c) { return c.Is("ln", {"/bin/sh"}); }),
                   "Use SHELL to change the default shell");
       },
       "write SHELL [\"/bin/bash\", \"-c\"] instead of relinking /bin/sh"},
  };
  return rules;
}

// --- rules with state across instructions --------------------------------------------------

// PowerShell or cmd, also by a Windows path (cmd.exe): pipefail means nothing there.
bool IsNonPosixShell(const Instruction& shell) {
  if (shell.command.args.empty()) return false;
  std::string program = AsciiLower(shell.command.args[0]);
  auto sep = program.find_last_of("/\\");
  if (sep != std::string::npos) program = program.substr(sep + 1);
  return program.starts_with("pwsh") || program.starts_with("powershell") ||
         program.starts_with("cmd");
}

bool ShellHasPipefail(const Instruction& shell) {
  ShellScript s = SplitShell(Joined(shell.command.args));
  for (const auto& c : s.commands) {
    std::string name = c.Name();
    std::string base = name.substr(name.rfind('/') == std::string::npos ? 0 : name.rfind('/') + 1);
    if (IsOneOf(base, {"bash", "zsh", "ash"}) && c.HasFlag("o") && c.HasArg("pipefail"))
      return true;
  }
  return false;
}

bool Truthy(std::string value) {
  if (value.size() >= 2 && (value.front() == '"' || value.front() == '\'') &&
      value.back() == value.front())
    value = value.substr(1, value.size() - 2);
  return IsOneOf(value, {"1", "true", "True", "TRUE", "on", "On", "ON", "yes", "Yes", "YES"});
}

// PIP_NO_CACHE_DIR=<truthy> written in the RUN itself.
bool RunSetsPipNoCacheDir(const Instruction& run) {
  std::string text = Joined(run.command.args);
  for (const auto& h : run.heredocs) text += "\n" + h.content;
  auto at = text.find("PIP_NO_CACHE_DIR=");
  if (at == std::string::npos) return false;
  std::string value = text.substr(at + 17);
  for (const char* t : {"1", "true", "True", "TRUE", "on", "On", "ON", "yes", "Yes", "YES"})
    if (value.starts_with(t)) return true;
  return false;
}

class ShellRules {
 public:
  explicit ShellRules(RuleContext& c) : c_(c) {}

  void Run() {
    const auto& view = c_.view();
    std::vector<bool> pip_no_cache(view.stages.size(), false);
    std::vector<bool> used_as_base(view.stages.size(), false);
    for (const auto& stage : view.stages)
      if (stage.parent >= 0) used_as_base[stage.parent] = true;
    for (const auto& stage : view.stages) {
      bool pipefail = false;
      bool no_cache = stage.parent >= 0 && pip_no_cache[stage.parent];
      std::set<std::string> tools, onbuild_tools;  // DL4001: curl/wget seen in this stage
      std::optional<std::pair<std::vector<std::string>, size_t>>
          previous_run;  // DL3059: flags, commands
      // DL3009 and DL3060 look only at stages that ship; an ONBUILD RUN runs in a later image.
      bool ships =
          stage.index == static_cast<int>(view.stages.size()) - 1 || used_as_base[stage.index];
      for (const auto& ins : stage.instructions) {
        if (ins.kind == InstructionKind::kShell)
          pipefail = IsNonPosixShell(ins) || ShellHasPipefail(ins);
        if (ins.kind == InstructionKind::kEnv)
          for (const auto& kv : ins.pairs)
            if (kv.key == "PIP_NO_CACHE_DIR" && Truthy(kv.value))
              no_cache = true;  // as hadolint: never unset
        const Instruction* run = nullptr;
        bool onbuild = false;
        if (ins.kind == InstructionKind::kRun) run = &ins;
        if (ins.kind == InstructionKind::kOnbuild && !ins.trigger.empty() &&
            ins.trigger[0].kind == InstructionKind::kRun)
          run = &ins.trigger[0], onbuild = true;
        if (ins.kind != InstructionKind::kRun) previous_run.reset();  // anything else splits RUNs
        if (!run) continue;
        RunView r{run, ins.location, onbuild, CommandsOf(*run)};
        if (!onbuild) CheckConsecutive(r, &previous_run);
        for (const auto& rule : SimpleRules()) {
          if (onbuild && !rule.onbuild) continue;
          if (auto message = rule.check(r)) c_.Report(rule.code, r.where, *message, rule.hint);
        }
        CheckLeftovers(r, onbuild || ships);
        if (!no_cache && !RunSetsPipNoCacheDir(*run) && Any(r.script, [](const ShellCommand& c) {
              return IsPipInstall(c) && !c.HasArg("--no-cache-dir") && !IsPipWrapper(c);
            }))
          c_.Report("PL253", r.where,
                    "Avoid use of cache directory with pip. Use pip install --no-cache-dir",
                    "write pip install --no-cache-dir, or ENV PIP_NO_CACHE_DIR=1");
        CheckCurlAndWget(r, onbuild ? &onbuild_tools : &tools);
        if (!onbuild && !pipefail && run->command.form == CommandForm::kShell && r.script.has_pipe)
          c_.Report("PL219", r.where,
                    "Set the SHELL option -o pipefail before RUN with a pipe in it",
                    "add SHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"] before this RUN");
      }
      pip_no_cache[stage.index] = no_cache;
    }
  }

 private:
  // DL3059: a RUN of at most two commands right after another one with the same flags.
  void CheckConsecutive(const RunView& r,
                        std::optional<std::pair<std::vector<std::string>, size_t>>* previous) {
    size_t count = r.script.commands.size();
    const auto& flags = r.run->flags;
    if (*previous && (*previous)->first == flags && count <= 2 && (*previous)->second <= 2)
      c_.Report("PL256", r.where, "Multiple consecutive RUN instructions. Consider consolidation.",
                "join the commands with && in one RUN");
    else
      *previous = std::make_pair(flags, count);
  }

  // DL3009 (apt-get update without removing /var/lib/apt/lists; cache mounts of the lists
  // count as a cleanup) and DL3060 (yarn install without yarn cache clean), in a stage that
  // ships: the last one, or one another stage builds on.
  void CheckLeftovers(const RunView& r, bool ships) {
    if (!ships) return;
    const ShellScript& s = r.script;
    if (AptUpdateWithoutCleanup(s) && !HasCacheMount(*r.run, "/var/lib/apt/lists") &&
        !(HasCacheMount(*r.run, "/var/lib/apt") && HasCacheMount(*r.run, "/var/cache/apt")))
      c_.Report("PL234", r.where, "Delete the apt-get lists after installing something",
                "end the RUN with && rm -rf /var/lib/apt/lists/*");
    bool yarn_install = Any(s, [](const ShellCommand& c) { return c.Is("yarn", {"install"}); });
    bool yarn_clean = Any(s, [](const ShellCommand& c) {
      return c.Is("yarn", {"cache", "clean"});
    });
    if (yarn_install && !yarn_clean)
      c_.Report("PL257", r.where, "`yarn cache clean` missing after `yarn install` was run",
                "end the RUN with && yarn cache clean");
  }

  // DL4001: once a stage has used both curl and wget, every RUN using either is reported.
  void CheckCurlAndWget(const RunView& r, std::set<std::string>* seen) {
    bool uses = false;
    for (const auto& c : r.script.commands)
      if (c.Name() == "curl" || c.Name() == "wget") seen->insert(c.Name()), uses = true;
    if (uses && seen->size() >= 2)
      c_.Report("PL216", r.where, "Either use Wget or Curl but not both",
                "use one download tool in this stage");
  }

  RuleContext& c_;
};

}  // namespace

void CheckShellRules(RuleContext& context) { ShellRules(context).Run(); }

}  // namespace plinth::lint
