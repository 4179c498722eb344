// libFuzzer target for lint's shell parse: any bytes as a RUN script through SplitShell and
// hadolint's view of every command found, then as a whole Dockerfile through the linter (the
// shell rules read its RUNs, heredoc RUNs and ONBUILD RUNs). Nothing may crash, leak, overflow
// or hit undefined behaviour; a script that does not parse must yield no commands.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "lint/linter.h"
#include "lint/shell_command.h"

using namespace plinth::lint;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);

  ShellScript script = SplitShell(input);
  if (!script.parsed && (!script.commands.empty() || script.has_pipe)) __builtin_trap();
  for (const ShellCommand& c : script.commands) {
    if (c.words.empty() || c.words.size() != c.literal.size()) __builtin_trap();
    // Word spans (for --fix): one per word, inside the input, or unknown.
    if (c.begins.size() != c.words.size() || c.ends.size() != c.words.size()) __builtin_trap();
    for (size_t i = 0; i < c.words.size(); ++i) {
      bool unknown = c.begins[i] == ShellCommand::kUnknown || c.ends[i] == ShellCommand::kUnknown;
      if (!unknown && (c.begins[i] > c.ends[i] || c.ends[i] > input.size())) __builtin_trap();
    }
    (void)c.Name();
    (void)c.Program();
    (void)c.Flags();
    (void)c.ArgsNoFlags({"t", "u"});
    (void)c.FlagValues("u");
    (void)c.Is("apt-get", {"install"});
    (void)PackageManagerUse(c);
  }

  LintOptions options;
  options.config = LintConfig{};
  (void)LintDockerfileText(std::string(input), "Dockerfile", options);
  return 0;
}
