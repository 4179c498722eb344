// RunStep: what a RUN instruction's process gets, decided from the stage's image and variables
// alone, as BuildKit's dockerfile2llb (dispatchRun) and its executor decide it:
//   argv     exec form as it is; shell form is the image's SHELL (else ["/bin/sh","-c"]) + the
//            command; a RUN that is just one heredoc runs the heredoc's body in that shell, or,
//            when the body starts with "#!", runs it as a file /dev/pipes/NAME (0755, mounted
//            read-only); a command with heredocs among other words is given to the shell
//            whole ("cmd <<EOF\nbody\nEOF"), as BuildKit does;
//   env      the image's ENV in order, then the ARGs in scope that ENV does not set, then
//            PATH's default when neither sets it;
//   cwd      WORKDIR ("/" when unset);
//   user     USER resolved to uid, gid and supplementary groups through the image's
//            /etc/passwd and /etc/group (builder/user_lookup.h);
//   network  --network: default and host are the host's network, none isolates;
//   mounts   each --mount expanded with the stage's ARG/ENV, checked and given its defaults
//            (secret target /run/secrets/ID; cache id = target; bind read-only unless rw);
//            type=ssh is refused as not supported yet;
//   history  "RUN |N A=b … /bin/sh -c cmd # buildkit": BuildKit's created_by, the ARGs in scope
//            first.
// Pure: no store, no files, no process, so every rule here is unit-tested.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "builder/user_lookup.h"
#include "dockerfile/instructions.h"
#include "dockerfile/shell_lex.h"
#include "oci/image_config.h"
#include "run/run_spec.h"

namespace plinth::builder {

// PATH when neither the image nor an ARG sets one (BuildKit's default for Linux).
inline constexpr const char* kDefaultPath =
    "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

// An ARG in scope of the step, in declaration order; unset: declared without a value.
struct ArgInScope {
  std::string name;
  std::optional<std::string> value;
};

// What the step reads from the stage, none of it owned.
struct RunStepInput {
  const dockerfile::Instruction* ins = nullptr;
  const oci::RuntimeConfig* config = nullptr;  // the image's config so far
  std::vector<ArgInScope> args;
  const dockerfile::Environment* vars = nullptr;  // the stage's variables (ENV over ARG)
  char escape_token = '\\';
  std::optional<std::string> passwd;  // the image's /etc/passwd (nullopt: none)
  std::optional<std::string> group;   // the image's /etc/group
};

// A heredoc run as a file: /dev/pipes/NAME, mode 0755.
struct PipeFile {
  std::string name;
  std::string content;
  bool operator==(const PipeFile&) const = default;
};

// One --mount, expanded and checked; `writable` is the mount as the process sees it.
struct StepMount {
  dockerfile::MountType type = dockerfile::MountType::kBind;
  std::string target;  // absolute, clean
  std::string source;  // bind/cache: path in the context or the `from` image, cleaned
  std::string from;    // bind/cache: stage name or index, or image; "" is the context
  std::string id;      // cache: default the target; secret: default the target's base name
  std::string sharing = "shared";
  std::optional<uint32_t> uid, gid, mode;
  std::optional<uint64_t> size;  // tmpfs
  std::string env;  // secret: an environment variable instead of (or as well as) a file
  bool writable = false;
  bool required = false;
  bool operator==(const StepMount&) const = default;
};

struct StepProcess {
  std::vector<std::string> argv;
  std::vector<std::string> env;  // KEY=VALUE
  std::string cwd = "/";
  ExecUser user;
  run::RunNetwork network = run::RunNetwork::kHost;
  std::string network_name = "default";
  std::vector<PipeFile> pipes;
  std::vector<StepMount> mounts;
  std::string created_by;  // the history entry's text
};

Result<StepProcess> ResolveRunProcess(const RunStepInput& input);

// The argv of a RUN (and the /dev/pipes files it needs), given the image's SHELL.
Result<std::pair<std::vector<std::string>, std::vector<PipeFile>>> RunArgv(
    const dockerfile::Instruction& ins, const std::vector<std::string>& shell);

// The --mount flags of `ins`, expanded with `vars` and given their defaults; `cwd` makes a
// relative target absolute, as BuildKit does.
Result<std::vector<StepMount>> ResolveRunMounts(const dockerfile::Instruction& ins,
                                                const dockerfile::Environment& vars,
                                                char escape_token, const std::string& cwd);

// `plinth build --secret id=ID,src=PATH` (or env=VAR, as docker build takes it; type=file|env
// accepted). A secret's value is never held here: only where it is read from.
struct BuildSecret {
  std::string id;
  std::string src;  // a file
  std::string env;  // or an environment variable of plinth's own process
};
using BuildSecrets = std::map<std::string, BuildSecret>;

Result<BuildSecret> ParseSecretFlag(const std::string& value);

}  // namespace plinth::builder
