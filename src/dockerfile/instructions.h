// Instructions: the typed layer over the raw AST, BuildKit's "dispatch" validation
// (frontend/dockerfile/instructions). Every Node becomes an Instruction with its position,
// its flags checked against what that instruction accepts (`unknown flag: x`, booleans, values,
// duplicates), its arguments counted and shaped (ENV/LABEL pairs, ARG name[=default], COPY
// sources and destination, RUN mounts, HEALTHCHECK timings), or an error `FILE:LINE:COL: ...`.
// Unknown keywords, chained ONBUILD and instructions before the first FROM other than ARG are
// rejected here. Values are kept as written (quotes included); expansion is the stage graph's.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "dockerfile/ast.h"
#include "util/error.h"
#include "util/result.h"

namespace plinth::dockerfile {

enum class InstructionKind {
  kFrom, kRun, kCmd, kEntrypoint, kShell, kCopy, kAdd, kEnv, kArg, kLabel, kExpose, kUser,
  kWorkdir, kVolume, kStopSignal, kHealthcheck, kOnbuild, kMaintainer,
};

// "FROM", "RUN", ... for messages and output.
const char* KeywordOf(InstructionKind kind);

enum class CommandForm { kShell, kExec };

// RUN, CMD, ENTRYPOINT, SHELL, HEALTHCHECK CMD: exec form is the argv, shell form one string.
struct CommandLine {
  CommandForm form = CommandForm::kShell;
  std::vector<std::string> args;
};

struct KeyValue {
  std::string key;
  std::string value;       // as written; quotes are removed by expansion
  bool has_value = true;   // ARG name without a default: false
};

enum class MountType { kBind, kCache, kSecret, kSsh, kTmpfs };
const char* MountTypeName(MountType type);

// RUN --mount=type=...,key=value,...
struct Mount {
  MountType type = MountType::kBind;
  std::string from;    // stage name/index or image (bind, cache)
  std::string source;
  std::string target;
  std::string id;
  std::string sharing;  // cache: shared|private|locked
  std::string mode, uid, gid, size, env;
  bool readonly = false;
  bool required = false;
};

struct FromArgs {
  std::string image;     // base image or stage name, as written
  std::string name;      // `AS name`, lower-cased as BuildKit does; empty if none
  std::string platform;  // --platform value, as written
};

struct RunArgs {
  std::vector<Mount> mounts;
  std::string network;   // none|host|default
  std::string security;  // sandbox|insecure
};

struct CopyArgs {
  std::vector<std::string> sources;  // `<<EOF` sources refer to heredocs
  std::string dest;
  std::string from, chown, chmod, checksum;
  std::vector<std::string> exclude;
  bool link = false;
  bool parents = false;       // COPY only
  bool keep_git_dir = false;  // ADD only
  bool unpack = false;        // ADD only (--unpack)
};

enum class HealthcheckType { kNone, kCmd };

struct HealthcheckArgs {
  HealthcheckType type = HealthcheckType::kCmd;
  CommandLine test;
  // Nanoseconds; nullopt when not given.
  std::optional<int64_t> interval, timeout, start_period, start_interval;
  std::optional<int> retries;
};

// One instruction. Only the members for its kind are meaningful:
//   FROM → from; RUN → command, run, heredocs; CMD/ENTRYPOINT/SHELL → command;
//   COPY/ADD → copy, heredocs; ENV/LABEL/ARG → pairs; EXPOSE/VOLUME → args;
//   USER/WORKDIR/STOPSIGNAL/MAINTAINER → args[0]; HEALTHCHECK → health; ONBUILD → trigger[0].
struct Instruction {
  InstructionKind kind = InstructionKind::kFrom;
  Location location;  // file, start line, column of the keyword
  int end_line = 0;
  std::string original;  // the logical line
  std::vector<std::string> flags;
  std::vector<std::string> args;
  CommandLine command;
  std::vector<KeyValue> pairs;
  FromArgs from;
  RunArgs run;
  CopyArgs copy;
  HealthcheckArgs health;
  std::vector<Heredoc> heredocs;
  std::vector<Instruction> trigger;
};

// One node (the file name goes into locations).
Result<Instruction> ParseInstruction(const Node& node, const std::string& file);

// Every node, in order; also enforces that only ARG comes before the first FROM.
Result<std::vector<Instruction>> ParseInstructions(const Ast& ast);

// `--mount` value (CSV of key=value).
Result<Mount> ParseMount(const std::string& value);

// An EXPOSE entry: `80`, `80/tcp`, `53/udp`, `8000-8010/tcp` (docker's nat.ParsePortSpec,
// without the host-ip/host-port parts EXPOSE does not accept).
struct PortSpec {
  int first = 0;
  int last = 0;
  std::string protocol = "tcp";  // tcp|udp|sctp
};
Result<PortSpec> ParsePortSpec(const std::string& text);

// Go's time.ParseDuration, in nanoseconds.
Result<int64_t> ParseDuration(const std::string& text);

}  // namespace plinth::dockerfile
