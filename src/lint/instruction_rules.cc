// hadolint's instruction rules that read instructions, not shell commands. Where hadolint's
// behaviour is surprising it is kept and the case is in tests/lint/instruction_rules_test.cc:
// DL3010 only knows `tar` with a dashed extract flag and the unzip family; DL3044 remembers
// names across stages; DL3063 reports one missing USER for the whole file, after the last FROM.
#include "lint/instruction_rules.h"

#include <cctype>
#include <set>

#include "lint/shell_command.h"
#include "lint/suppressions.h"
#include "util/ascii.h"

namespace plinth::lint {
namespace {

using dockerfile::Instruction;
using dockerfile::InstructionKind;

std::string Unquote(std::string s) {
  if (s.size() >= 2 && (s.front() == '"' || s.front() == '\'') && s.back() == s.front())
    return s.substr(1, s.size() - 2);
  return s;
}

std::string Basename(const std::string& path) {
  std::string p = Unquote(path);
  auto slash = p.find_last_of("/\\");
  return slash == std::string::npos ? p : p.substr(slash + 1);
}

bool IsArchiveName(const std::string& name) {
  static const char* kExtensions[] = {".tar", ".Z",   ".bz2", ".gz",   ".lz",  ".lzma",
                                      ".tZ",  ".tb2", ".tbz", ".tbz2", ".tgz", ".tlz",
                                      ".tpz", ".txz", ".xz",  ".zst"};
  for (const char* e : kExtensions)
    if (name.ends_with(e)) return true;
  return false;
}

Location At(const std::string& file, const dockerfile::Node& node) {
  return Location{file, node.start_line, node.column};
}

void CheckIgnorePragmas(RuleContext& c) {  // DL1001
  for (const auto& p : IgnorePragmas(c.view()))
    c.Report("PL280", Location{c.view().file, p.line, p.column},
             "Please refrain from using inline ignore pragmas `# hadolint ignore=DLxxxx`",
             "list the exception in .hadolint.yaml (ignored:) instead");
}

// From the raw nodes: these instructions may not survive the instruction layer, which rejects
// them (an EXPOSE of port 80000, ONBUILD FROM), and hadolint reports them all the same.
void CheckNodes(RuleContext& c) {  // DL3011, DL3043, DL3061
  const auto& view = c.view();
  bool seen_from = false;
  for (const auto& node : view.ast.instructions) {
    std::string keyword = AsciiUpper(node.keyword);
    if (keyword == "FROM") seen_from = true;
    if (!seen_from && keyword != "ARG" && keyword != "FROM")
      c.Report("PL286", At(view.file, node),
               "Invalid instruction order. Dockerfile must begin with FROM, ARG or comment (" +
                   keyword + ")",
               "move it after the first FROM");
    if (keyword == "ONBUILD" && !node.children.empty()) {
      std::string trigger = AsciiUpper(node.children[0].keyword);
      if (trigger == "ONBUILD" || trigger == "FROM" || trigger == "MAINTAINER")
        c.Report("PL284", At(view.file, node),
                 "ONBUILD, FROM or MAINTAINER triggered from within ONBUILD instruction (" +
                     trigger + ")",
                 "trigger a RUN, COPY or another instruction instead");
    }
    if (keyword == "EXPOSE") {
      for (const auto& raw : node.args) {
        std::string port = Unquote(raw);
        if (port.find('$') != std::string::npos) continue;
        port = port.substr(0, port.find('/'));
        bool bad = false;
        size_t start = 0;
        while (start <= port.size()) {
          size_t dash = port.find('-', start);
          if (dash == std::string::npos) dash = port.size();
          std::string part = port.substr(start, dash - start);
          bool digits = !part.empty() && part.find_first_not_of("0123456789") == std::string::npos;
          if (digits && (part.size() > 5 || std::stol(part) > 65535)) bad = true;
          start = dash + 1;
        }
        if (bad) {
          c.Report("PL282", At(view.file, node),
                   "Valid UNIX ports range from 0 to 65535 (" + Unquote(raw) + ")",
                   "expose a port below 65536");
          break;
        }
      }
    }
  }
}

// Whether `$name` or `${name}` occurs in `text`, `$name` not followed by a name character.
bool RefersTo(const std::string& text, const std::string& name) {
  if (text.find("${" + name + "}") != std::string::npos) return true;
  std::string bare = "$" + name;
  for (size_t at = text.find(bare); at != std::string::npos; at = text.find(bare, at + 1)) {
    size_t after = at + bare.size();
    if (after >= text.size()) return true;
    unsigned char ch = static_cast<unsigned char>(text[after]);
    if (!std::isalnum(ch) && ch != '_') return true;
  }
  return false;
}

void CheckEnvSelfReference(RuleContext& c) {  // DL3044
  std::set<std::string> known;
  auto visit = [&](const Instruction& ins) {
    if (ins.kind == InstructionKind::kArg) {
      for (const auto& kv : ins.pairs) known.insert(kv.key);
    }
    if (ins.kind != InstructionKind::kEnv) return;
    bool reported = false;
    for (size_t i = 0; i < ins.pairs.size() && !reported; ++i) {
      const std::string& name = ins.pairs[i].key;
      if (known.count(name)) continue;
      for (size_t j = 0; j < ins.pairs.size(); ++j) {
        if (j != i && RefersTo(ins.pairs[j].value, name)) {
          c.Report(
              "PL285", ins.location,
              "Do not refer to an environment variable within the same ENV statement where it is "
              "defined ($" +
                  name + ")",
              "set " + name + " in an ENV of its own before this one");
          reported = true;
          break;
        }
      }
    }
    for (const auto& kv : ins.pairs) known.insert(kv.key);
  };
  for (const auto& ins : c.view().global_args) visit(ins);
  for (const auto& stage : c.view().stages)
    for (const auto& ins : stage.instructions) visit(ins);
}

bool IsExtractCommand(const ShellCommand& cmd) {
  static const std::set<std::string> kUnzips = {"unzip", "gunzip",     "bunzip2", "unlzma", "unxz",
                                                "zgz",   "uncompress", "zcat",    "gzcat"};
  std::string program = cmd.Program();
  if (kUnzips.count(program)) return true;
  if (program != "tar") return false;
  for (const auto& a : cmd.Arguments()) {
    if (a == "--extract" || a == "--get") return true;
    if (a.starts_with("-") && a.find('x') != std::string::npos) return true;
  }
  return false;
}

void CheckArchives(RuleContext& c) {  // DL3010
  for (const auto& stage : c.view().stages) {
    std::vector<std::pair<const Instruction*, std::string>> archives;  // COPY, basename
    std::set<const Instruction*> extracted;
    for (const auto& ins : stage.instructions) {
      if (ins.kind == InstructionKind::kCopy && ins.copy.from.empty()) {
        if (IsArchiveName(Basename(ins.copy.dest))) {
          archives.push_back({&ins, Basename(ins.copy.dest)});
        } else {
          for (const auto& s : ins.copy.sources)
            if (IsArchiveName(Basename(s))) archives.push_back({&ins, Basename(s)});
        }
      }
      if (ins.kind != InstructionKind::kRun || archives.empty()) continue;
      for (const auto& cmd : CommandsOf(ins).commands) {
        if (!IsExtractCommand(cmd)) continue;
        std::set<std::string> names;
        for (const auto& a : cmd.Arguments())
          if (!a.starts_with("-")) names.insert(Basename(a));
        for (const auto& [copy, name] : archives)
          if (names.count(name)) extracted.insert(copy);
      }
    }
    for (const Instruction* copy : extracted)
      c.Report(
          "PL281", copy->location, "Use ADD for extracting archives into an image",
          "ADD the archive to the folder it is unpacked into, and drop the RUN that unpacks it");
  }
}

const std::set<std::string>& SensitiveNames() {
  static const std::set<std::string> kNames = {"ACCESS_TOKEN",
                                               "APPLICATION_KEY",
                                               "APP_SECRET",
                                               "AUTH_TOKEN",
                                               "AWS_ACCESS_KEY_ID",
                                               "AWS_SECRET_ACCESS_KEY",
                                               "BITTREX_API_KEY",
                                               "BITTREX_API_SECRET",
                                               "CF_PASSWORD",
                                               "CF_USERNAME",
                                               "CIRCLE_TOKEN",
                                               "CI_DEPLOY_PASSWORD",
                                               "CI_DEPLOY_USER",
                                               "DOCKERHUB_PASSWORD",
                                               "DOCKER_EMAIL",
                                               "DOCKER_PASSWORD",
                                               "DOCKER_USERNAME",
                                               "FACEBOOK_ACCESS_TOKEN",
                                               "FACEBOOK_APP_ID",
                                               "FACEBOOK_APP_SECRET",
                                               "FIREBASE_API_TOKEN",
                                               "FIREBASE_TOKEN",
                                               "FOSSA_API_KEY",
                                               "GH_ENTERPRISE_TOKEN",
                                               "GH_TOKEN",
                                               "GITHUB_ENTERPRISE_TOKEN",
                                               "GITHUB_TOKEN",
                                               "HEROKU_API_KEY",
                                               "HEROKU_API_USER",
                                               "NPM_AUTH_TOKEN",
                                               "NPM_TOKEN",
                                               "OKTA_AUTHN_GROUPID",
                                               "OKTA_CLIENT_ORGURL",
                                               "OKTA_CLIENT_TOKEN",
                                               "OKTA_OAUTH2_CLIENTID",
                                               "OKTA_OAUTH2_CLIENTSECRET",
                                               "OPENAI_API_KEY",
                                               "OS_PASSWORD",
                                               "OS_USERNAME",
                                               "POSTGRES_PASSWORD",
                                               "SLACK_TOKEN",
                                               "STRIPE_API_KEY",
                                               "STRIPE_DEVICE_NAME",
                                               "TRAVIS_OS_NAME",
                                               "TRAVIS_SECURE_ENV_VARS",
                                               "TRAVIS_SUDO",
                                               "VAULT_CLIENT_KEY",
                                               "VAULT_TOKEN"};
  return kNames;
}

bool IsSensitiveName(const std::string& name) {
  if (SensitiveNames().count(AsciiUpper(name))) return true;
  std::string lower = AsciiLower(name);
  for (const char* s :
       {"api_key", "client_key", "password", "private", "secret", "token", "username"})
    if (lower.find(s) != std::string::npos) return true;
  return false;
}

void CheckSensitive(RuleContext& c, const Instruction& ins) {  // DL3064
  if (ins.kind != InstructionKind::kArg && ins.kind != InstructionKind::kEnv) return;
  for (const auto& kv : ins.pairs) {
    if (!IsSensitiveName(kv.key)) continue;
    c.Report(
        "PL289", ins.location,
        "Potentially sensitive data should not be used in the ARG or ENV commands (" + kv.key + ")",
        "pass secrets with RUN --mount=type=secret");
    return;
  }
}

void CheckPerInstruction(RuleContext& c) {  // DL3012, DL3062, DL3064-DL3067
  const auto& view = c.view();
  for (const auto& ins : view.global_args) CheckSensitive(c, ins);
  for (const auto& stage : view.stages) {
    if (stage.from) {
      const std::string& platform = stage.from->from.platform;
      if (platform == "$TARGETPLATFORM" || platform == "${TARGETPLATFORM}")
        c.Report(
            "PL290", stage.from->location,
            "Setting FROM --platform to predefined $TARGETPLATFORM is redundant as this is the "
            "default behavior",
            "drop --platform");
    }
    int healthchecks = 0;
    for (const auto& ins : stage.instructions) {
      CheckSensitive(c, ins);
      for (const auto& trigger : ins.trigger) CheckSensitive(c, trigger);
      if (ins.kind == InstructionKind::kHealthcheck && ++healthchecks > 1)
        c.Report("PL283", ins.location, "Multiple HEALTHCHECK instructions",
                 "keep only the last HEALTHCHECK of the stage");
      if (ins.kind == InstructionKind::kUser && !ins.args.empty()) {
        std::string user = Unquote(ins.args[0]);
        std::string uid = user.substr(0, user.find(':'));
        if (uid.find_first_not_of("0123456789") != std::string::npos)
          c.Report("PL291", ins.location,
                   "Non-numeric user-id may not be resolvable by host system (" + uid + ")",
                   "use the numeric uid, such as USER 65532");
      }
      if (ins.kind == InstructionKind::kCopy && !ins.copy.from.empty() &&
          Unquote(ins.copy.dest) == "/") {
        bool root = false;
        for (const auto& s : ins.copy.sources) root = root || Unquote(s) == "/";
        if (root)
          c.Report("PL292", ins.location, "Do not copy an entire filesystem from another stage",
                   "copy only the paths the image needs");
      }
      if (ins.kind == InstructionKind::kRun) {
        for (const auto& cmd : CommandsOf(ins).commands) {
          auto args = cmd.Arguments();
          if (cmd.Program() != "go" || args.empty() || args[0] != "install") continue;
          bool unpinned = false;
          for (size_t i = 1; i < args.size(); ++i)
            unpinned =
                unpinned || (!args[i].starts_with("-") && args[i].find('@') == std::string::npos);
          if (unpinned) {
            c.Report("PL287", ins.location,
                     "Pin versions in go install. Instead of `go install <package>` use "
                     "`go install <package>@<version>`",
                     "add @<version> to each package");
            break;
          }
        }
      }
    }
  }
}

void CheckUserMissing(RuleContext& c) {  // DL3063
  const LintStage* last_from = nullptr;
  for (const auto& stage : c.view().stages) {
    if (stage.from) last_from = &stage;
    for (const auto& ins : stage.instructions)
      if (ins.kind == InstructionKind::kUser) return;
  }
  if (last_from)
    c.Report("PL288", Location{c.view().file, last_from->from->location.line + 1, 1},
             "A USER instruction should be specified", "add USER 65532 (or another non-root user)");
}

}  // namespace

void CheckInstructionRules(RuleContext& c) {
  CheckIgnorePragmas(c);
  CheckNodes(c);
  CheckEnvSelfReference(c);
  CheckArchives(c);
  CheckPerInstruction(c);
  CheckUserMissing(c);
}

}  // namespace plinth::lint
