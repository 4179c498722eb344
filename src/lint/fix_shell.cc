// The fixes of RUN commands: DL3027 (apt → apt-get), DL3047 (wget's progress flag) and DL3015
// (--no-install-recommends). Each finds the commands its rule reports in shell_rules.cc, with
// the same predicate, through shell_command's parse of the RUN's text, and edits the words
// where they are written. A command whose words are not in the file verbatim (inside
// backticks with escapes) or whose name is quoted is left alone.
#include <string_view>

#include "lint/fix_rules.h"

namespace plinth::lint::fix {
namespace {

// The commands of a RUN as written: its shell text parsed; an exec-form RUN has none here.
struct RunScript {
  ShellText text;
  ShellScript script;
};

std::optional<RunScript> Parse(const Source& source, const dockerfile::Instruction& ins,
                               std::string* why) {
  if (ins.kind != dockerfile::InstructionKind::kRun) {
    *why = "not fixed inside ONBUILD";
    return std::nullopt;
  }
  if (source.view.ast.escape_token != '\\') {
    *why = "not fixed in a file with another escape character";
    return std::nullopt;
  }
  if (ins.command.form == dockerfile::CommandForm::kExec) {
    *why = "not fixed in an exec-form RUN";
    return std::nullopt;
  }
  RunScript run;
  run.text = ShellTextOf(source, ins);
  run.script = SplitShell(run.text.text);
  if (!run.script.parsed) {
    *why = "the RUN does not parse as a shell script";
    return std::nullopt;
  }
  return run;
}

// Runs `edit` on every command `wanted` holds for; the RUN's outcome.
template <typename Wanted, typename EditOf>
Outcome ForEachCommand(const Source& source, const dockerfile::Instruction& ins, Wanted wanted,
                       EditOf edit_of, const std::string& done) {
  std::string why;
  auto run = Parse(source, ins, &why);
  if (!run) return Skip(why);
  Outcome out;
  for (const auto& c : run->script.commands) {
    if (!wanted(c)) continue;
    std::string problem;
    auto edit = edit_of(c, run->text.begin, &problem);
    if (!edit) return Skip(problem);
    out.edits.push_back(std::move(*edit));
  }
  if (out.edits.empty()) return Skip("no command to fix found where it is written");
  out.text = done;
  return out;
}

// An insertion of `text` right after word `index` of `c`.
std::optional<Edit> InsertAfter(const ShellCommand& c, size_t index, size_t base,
                                const std::string& text, std::string* why) {
  size_t begin = 0, end = 0;
  if (!WordSpan(c, index, base, &begin, &end)) {
    *why = "the command is not written verbatim in the file (backticks with escapes)";
    return std::nullopt;
  }
  return Edit{end, end, text};
}

// apt's commands apt-get does the same for; apt-cache answers the queries.
std::string AptReplacement(const std::string& subcommand) {
  static const char* kAptGet[] = {"update",   "upgrade",   "install",    "reinstall",
                                  "remove",   "purge",     "autoremove", "dist-upgrade",
                                  "clean",    "autoclean", "source",     "build-dep",
                                  "download", "check",     "satisfy",    "changelog"};
  static const char* kAptCache[] = {"search",   "show",    "showsrc", "policy",  "depends",
                                    "rdepends", "madison", "showpkg", "pkgnames"};
  for (const char* s : kAptGet)
    if (subcommand == s) return "apt-get";
  for (const char* s : kAptCache)
    if (subcommand == s) return "apt-cache";
  return "";
}

}  // namespace

Outcome FixAptCommand(const Source& source, const dockerfile::Instruction& ins) {
  return ForEachCommand(
      source, ins, [](const ShellCommand& c) { return c.Name() == "apt"; },
      [&](const ShellCommand& c, size_t base, std::string* why) -> std::optional<Edit> {
        size_t name = c.NameAt(), begin = 0, end = 0;
        std::string subcommand;
        for (size_t i = name + 1; i < c.words.size() && subcommand.empty(); ++i)
          if (!c.words[i].starts_with("-")) subcommand = c.words[i];
        std::string replacement = AptReplacement(subcommand);
        if (replacement.empty()) {
          *why = subcommand.empty()
                     ? "`apt` without a subcommand"
                     : "`apt " + subcommand + "` has no apt-get or apt-cache equivalent";
          return std::nullopt;
        }
        if (!WordSpan(c, name, base, &begin, &end) ||
            std::string_view(source.content).substr(begin, end - begin) != "apt") {
          *why = "the word apt is quoted or escaped";
          return std::nullopt;
        }
        return Edit{begin, end, replacement};
      },
      "apt → apt-get");
}

Outcome FixWgetProgress(const Source& source, const dockerfile::Instruction& ins) {
  return ForEachCommand(
      source, ins,
      [](const ShellCommand& c) {  // as PL255
        return c.Name() == "wget" && !(c.HasFlag("progress") ||
                                       c.HasAnyFlag({"q", "quiet", "o", "output-file", "a",
                                                     "append-output", "no-verbose"}) ||
                                       c.HasArg("-nv"));
      },
      [](const ShellCommand& c, size_t base, std::string* why) {
        return InsertAfter(c, c.NameAt(), base, " --progress=dot:giga", why);
      },
      "wget --progress=dot:giga");
}

Outcome FixNoInstallRecommends(const Source& source, const dockerfile::Instruction& ins) {
  return ForEachCommand(
      source, ins,
      [](const ShellCommand& c) {  // as PL237
        return c.Is("apt-get", {"install"}) &&
               !(c.HasFlag("no-install-recommends") || c.HasArg("APT::Install-Recommends=false"));
      },
      [](const ShellCommand& c, size_t base, std::string* why) -> std::optional<Edit> {
        for (size_t i = c.NameAt() + 1; i < c.words.size(); ++i)
          if (c.words[i] == "install")
            return InsertAfter(c, i, base, " --no-install-recommends", why);
        *why = "no install word";
        return std::nullopt;
      },
      "apt-get install --no-install-recommends");
}

}  // namespace plinth::lint::fix
