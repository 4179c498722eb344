#include "audit/tool_signatures.h"

#include <algorithm>
#include <cstring>

namespace plinth::audit {
namespace {

constexpr std::string_view kShells[] = {"sh",  "bash", "dash", "ash",     "zsh",    "ksh",  "mksh",
                                        "csh", "tcsh", "fish", "busybox", "toybox", "rbash"};
constexpr std::string_view kPackageManagers[] = {
    "apt", "apt-get", "apt-cache", "aptitude", "dpkg", "apk",   "rpm",
    "yum", "dnf",     "microdnf",  "tdnf",     "pip",  "zypper"};

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
    s.remove_suffix(1);
  return s;
}

}  // namespace

const std::vector<ToolSignature>& ExecutableSignatures() {
  static const std::vector<ToolSignature> kSignatures = {
      {"busybox", ToolKind::kShell, "BusyBox v"},
      {"busybox", ToolKind::kShell, "BusyBox is a multi-call binary"},
      {"bash", ToolKind::kShell, "GNU bash, version "},
      // dash and busybox's ash (both from the Almquist shell) parse `for` the same way.
      {"ash", ToolKind::kShell, "Bad for loop variable"},
      {"zsh", ToolKind::kShell, "zsh %s (%s-%s-%s)"},
      {"mksh", ToolKind::kShell, "@(#)MIRBSD KSH"},
      {"toybox", ToolKind::kShell, "Toybox is a multi-call binary"},
      {"dpkg", ToolKind::kPackageManager, "package management program version"},
      {"apt-get", ToolKind::kPackageManager, "Usage: apt-get [options] command"},
      {"apt", ToolKind::kPackageManager, "Usage: apt [options] command"},
      {"apk", ToolKind::kPackageManager, "apk-tools "},
      {"rpm", ToolKind::kPackageManager, "RPM version %s"},
      {"microdnf", ToolKind::kPackageManager, "microdnf"},
  };
  return kSignatures;
}

bool IsShellName(std::string_view base) {
  return std::find(std::begin(kShells), std::end(kShells), base) != std::end(kShells);
}

bool IsPackageManagerName(std::string_view base) {
  if (std::find(std::begin(kPackageManagers), std::end(kPackageManagers), base) !=
      std::end(kPackageManagers))
    return true;
  // pip3, pip3.11
  if (base.starts_with("pip")) {
    std::string_view rest = base.substr(3);
    return !rest.empty() && std::all_of(rest.begin(), rest.end(),
                                        [](char c) { return (c >= '0' && c <= '9') || c == '.'; });
  }
  return false;
}

void SignatureMatcher::Feed(const char* data, size_t size) {
  const auto& signatures = ExecutableSignatures();
  size_t longest = 0;
  for (const auto& s : signatures) longest = std::max(longest, s.pattern.size());
  // Search the tail of the last piece joined to the head of this one, then this piece.
  std::string seam = tail_;
  seam.append(data, std::min(size, longest));
  for (size_t i = 0; i < signatures.size(); ++i) {
    if (found_ & (uint64_t{1} << i)) continue;
    std::string_view p = signatures[i].pattern;
    if (memmem(seam.data(), seam.size(), p.data(), p.size()) ||
        memmem(data, size, p.data(), p.size()))
      found_ |= uint64_t{1} << i;
  }
  if (size >= longest) {
    tail_.assign(data + size - (longest - 1), longest - 1);
  } else {
    tail_.append(data, size);
    if (tail_.size() > longest - 1) tail_.erase(0, tail_.size() - (longest - 1));
  }
}

std::string Shebang(std::string_view head) {
  if (!head.starts_with("#!")) return "";
  size_t end = head.find('\n');
  return std::string(
      Trim(head.substr(2, end == std::string_view::npos ? head.size() - 2 : end - 2)));
}

std::vector<ScriptTool> ScriptTools(std::string_view head) {
  std::vector<ScriptTool> tools;
  std::string shebang = Shebang(head);
  if (shebang.empty()) return tools;
  // The program the line runs: "/usr/bin/env -S python3 -u" runs python3.
  std::vector<std::string_view> words;
  std::string_view rest = shebang;
  while (!rest.empty()) {
    size_t space = rest.find_first_of(" \t");
    std::string_view word = rest.substr(0, space);
    if (!word.empty()) words.push_back(word);
    if (space == std::string_view::npos) break;
    rest = rest.substr(space + 1);
  }
  if (words.empty()) return tools;
  std::string_view program = words[0];
  if (program.ends_with("/env")) {
    program = "";
    for (size_t i = 1; i < words.size(); ++i)
      if (!words[i].starts_with("-")) {
        program = words[i];
        break;
      }
  }
  size_t slash = program.rfind('/');
  std::string_view base = slash == std::string_view::npos ? program : program.substr(slash + 1);
  if (base.starts_with("python")) {
    if (head.find("from pip._internal") != std::string_view::npos ||
        head.find("import pip") != std::string_view::npos)
      tools.push_back({"pip", ToolKind::kPackageManager});
    if (head.find("from dnf") != std::string_view::npos ||
        head.find("import dnf") != std::string_view::npos)
      tools.push_back({"dnf", ToolKind::kPackageManager});
    if (head.find("import yummain") != std::string_view::npos ||
        head.find("import yum") != std::string_view::npos)
      tools.push_back({"yum", ToolKind::kPackageManager});
  }
  return tools;
}

}  // namespace plinth::audit
