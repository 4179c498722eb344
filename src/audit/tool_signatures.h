// Tool signatures: how the audit knows a shell or a package manager by its content, whatever
// the file is called (a busybox renamed to /usr/bin/x is still busybox). Executables are
// searched for strings their tools print (version banners, usage lines, error messages of
// their parsers); scripts are judged by their interpreter line and the module they start.
// SignatureMatcher streams: it keeps only the tail of the previous piece.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace plinth::audit {

enum class ToolKind { kShell, kPackageManager };

struct ToolSignature {
  std::string_view tool;  // "busybox"
  ToolKind kind;
  std::string_view pattern;  // bytes that identify it
};

// The executable signatures, in a fixed order (bit i of SignatureMatcher::found()).
const std::vector<ToolSignature>& ExecutableSignatures();

// Tools by name: the names a shell or a package manager goes by ("sh", "apt-get", "pip3.11").
bool IsShellName(std::string_view base);
bool IsPackageManagerName(std::string_view base);

class SignatureMatcher {
 public:
  void Feed(const char* data, size_t size);
  uint64_t found() const { return found_; }

 private:
  std::string tail_;
  uint64_t found_ = 0;
};

// The tool a script is, from its head (its first bytes, the interpreter line first): a
// package manager written in Python (pip, dnf, yum) or a script run by a shell. Empty: none.
struct ScriptTool {
  std::string tool;
  ToolKind kind = ToolKind::kShell;
};
std::vector<ScriptTool> ScriptTools(std::string_view head);

// The interpreter line of a script ("#!/usr/bin/env python3" -> "/usr/bin/env python3"), or "".
std::string Shebang(std::string_view head);

}  // namespace plinth::audit
