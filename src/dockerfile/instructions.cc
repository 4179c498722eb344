#include "dockerfile/instructions.h"

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <map>

#include "dockerfile/text.h"
#include "util/edit_distance.h"
#include "util/ascii.h"

namespace plinth::dockerfile {
namespace {

enum class FlagKind { kString, kBool, kStringArray };

struct FlagValue {
  bool set = false;
  std::string value;
  std::vector<std::string> values;
  bool boolean = false;
};

// BuildKit's BFlags: the flags an instruction accepts, parsed from the node's flag words.
class Flags {
 public:
  Flags(const Node& node, const std::string& file) : node_(node), file_(file) {}
  void Add(const std::string& name, FlagKind kind) { specs_[name] = kind; }

  Status Parse() {
    for (const std::string& raw : node_.flags) {
      if (raw.rfind("--", 0) != 0) return Fail(raw, "arg should start with -- : " + raw);
      std::string arg = raw.substr(2);
      std::string value;
      bool has_value = false;
      if (size_t eq = arg.find('='); eq != std::string::npos) {
        value = arg.substr(eq + 1);
        arg = arg.substr(0, eq);
        has_value = true;
      }
      auto spec = specs_.find(arg);
      if (spec == specs_.end()) return Fail(raw, "unknown flag: " + arg);
      FlagValue& v = values_[arg];
      switch (spec->second) {
        case FlagKind::kBool: {
          if (v.set) return Fail(raw, "duplicate flag specified: " + arg);
          std::string lower = AsciiLower(value);
          if (!has_value || lower == "true") {
            v.boolean = true;
          } else if (lower == "false") {
            v.boolean = false;
          } else {
            return Fail(raw, "expecting boolean value for flag " + arg + ", not: " + value);
          }
          break;
        }
        case FlagKind::kString:
          if (!has_value) return Fail(raw, "missing a value on flag: " + arg);
          if (v.set) return Fail(raw, "duplicate flag specified: " + arg);
          v.value = value;
          break;
        case FlagKind::kStringArray:
          if (!has_value) return Fail(raw, "missing a value on flag: " + arg);
          v.values.push_back(value);
          break;
      }
      v.set = true;
    }
    return Ok{};
  }

  std::string String(const std::string& name) const {
    auto it = values_.find(name);
    return it == values_.end() ? "" : it->second.value;
  }
  bool IsSet(const std::string& name) const { return values_.count(name) > 0; }
  bool Bool(const std::string& name) const {
    auto it = values_.find(name);
    return it != values_.end() && it->second.boolean;
  }
  std::vector<std::string> Array(const std::string& name) const {
    auto it = values_.find(name);
    return it == values_.end() ? std::vector<std::string>{} : it->second.values;
  }

 private:
  // The error points at the flag when it is on the instruction's first line.
  Error Fail(const std::string& flag, const std::string& message) const {
    int column = node_.column;
    std::string_view original = text::TrimLeftSpace(node_.original);
    if (size_t at = original.find(flag); at != std::string::npos) {
      column += static_cast<int>(at);
    }
    return InvalidInput(message, Location{file_, node_.start_line, column});
  }

  const Node& node_;
  const std::string& file_;
  std::map<std::string, FlagKind> specs_;
  std::map<std::string, FlagValue> values_;
};

const std::map<std::string, InstructionKind>& Keywords() {
  static const auto* kMap = new std::map<std::string, InstructionKind>{
      {"from", InstructionKind::kFrom},         {"run", InstructionKind::kRun},
      {"cmd", InstructionKind::kCmd},           {"entrypoint", InstructionKind::kEntrypoint},
      {"shell", InstructionKind::kShell},       {"copy", InstructionKind::kCopy},
      {"add", InstructionKind::kAdd},           {"env", InstructionKind::kEnv},
      {"arg", InstructionKind::kArg},           {"label", InstructionKind::kLabel},
      {"expose", InstructionKind::kExpose},     {"user", InstructionKind::kUser},
      {"workdir", InstructionKind::kWorkdir},   {"volume", InstructionKind::kVolume},
      {"stopsignal", InstructionKind::kStopSignal},
      {"healthcheck", InstructionKind::kHealthcheck},
      {"onbuild", InstructionKind::kOnbuild},   {"maintainer", InstructionKind::kMaintainer},
  };
  return *kMap;
}

bool IsValidStageName(const std::string& name) {
  if (name.empty() || !(name[0] >= 'a' && name[0] <= 'z')) return false;
  for (char c : name) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.';
    if (!ok) return false;
  }
  return true;
}

Result<std::optional<int64_t>> ParseInterval(const Flags& flags, const std::string& name,
                                             const Location& where) {
  std::string value = flags.String(name);
  if (value.empty()) return std::optional<int64_t>();
  auto d = ParseDuration(value);
  if (!d) return InvalidInput("--" + name + ": " + d.error().message(), where);
  if (*d == 0) return std::optional<int64_t>(0);
  if (*d < 1000000) {
    return InvalidInput("Interval \"" + name + "\" cannot be less than 1ms", where);
  }
  return std::optional<int64_t>(*d);
}

}  // namespace

const char* KeywordOf(InstructionKind kind) {
  switch (kind) {
    case InstructionKind::kFrom: return "FROM";
    case InstructionKind::kRun: return "RUN";
    case InstructionKind::kCmd: return "CMD";
    case InstructionKind::kEntrypoint: return "ENTRYPOINT";
    case InstructionKind::kShell: return "SHELL";
    case InstructionKind::kCopy: return "COPY";
    case InstructionKind::kAdd: return "ADD";
    case InstructionKind::kEnv: return "ENV";
    case InstructionKind::kArg: return "ARG";
    case InstructionKind::kLabel: return "LABEL";
    case InstructionKind::kExpose: return "EXPOSE";
    case InstructionKind::kUser: return "USER";
    case InstructionKind::kWorkdir: return "WORKDIR";
    case InstructionKind::kVolume: return "VOLUME";
    case InstructionKind::kStopSignal: return "STOPSIGNAL";
    case InstructionKind::kHealthcheck: return "HEALTHCHECK";
    case InstructionKind::kOnbuild: return "ONBUILD";
    case InstructionKind::kMaintainer: return "MAINTAINER";
  }
  return "?";
}

const char* MountTypeName(MountType type) {
  switch (type) {
    case MountType::kBind: return "bind";
    case MountType::kCache: return "cache";
    case MountType::kSecret: return "secret";
    case MountType::kSsh: return "ssh";
    case MountType::kTmpfs: return "tmpfs";
  }
  return "?";
}

Result<int64_t> ParseDuration(const std::string& s) {
  // [-+]?([0-9]*(\.[0-9]*)?[a-z]+)+ , or "0".
  size_t i = 0;
  bool negative = false;
  if (i < s.size() && (s[i] == '-' || s[i] == '+')) negative = s[i++] == '-';
  if (s.substr(i) == "0") return int64_t{0};
  if (i == s.size()) return InvalidInput("time: invalid duration \"" + s + "\"");
  long double total = 0;
  while (i < s.size()) {
    size_t start = i;
    long double value = 0;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') value = value * 10 + (s[i++] - '0');
    bool had_int = i > start;
    bool had_frac = false;
    if (i < s.size() && s[i] == '.') {
      ++i;
      long double scale = 0.1L;
      while (i < s.size() && s[i] >= '0' && s[i] <= '9') {
        value += (s[i++] - '0') * scale;
        scale /= 10;
        had_frac = true;
      }
    }
    if (!had_int && !had_frac) return InvalidInput("time: invalid duration \"" + s + "\"");
    size_t unit_start = i;
    while (i < s.size() && s[i] != '.' && !(s[i] >= '0' && s[i] <= '9')) ++i;
    std::string unit = s.substr(unit_start, i - unit_start);
    long double mult;
    if (unit == "ns") mult = 1;
    else if (unit == "us" || unit == "\xC2\xB5s" || unit == "\xCE\xBCs") mult = 1e3L;
    else if (unit == "ms") mult = 1e6L;
    else if (unit == "s") mult = 1e9L;
    else if (unit == "m") mult = 60e9L;
    else if (unit == "h") mult = 3600e9L;
    else if (unit.empty()) return InvalidInput("time: missing unit in duration \"" + s + "\"");
    else return InvalidInput("time: unknown unit \"" + unit + "\" in duration \"" + s + "\"");
    total += value * mult;
    if (total > 9.2e18L) return InvalidInput("time: invalid duration \"" + s + "\"");
  }
  int64_t ns = static_cast<int64_t>(total);
  return negative ? -ns : ns;
}

Result<PortSpec> ParsePortSpec(const std::string& text_in) {
  PortSpec spec;
  std::string ports = text_in;
  if (size_t slash = ports.find('/'); slash != std::string::npos) {
    spec.protocol = AsciiLower(ports.substr(slash + 1));
    ports = ports.substr(0, slash);
    if (spec.protocol != "tcp" && spec.protocol != "udp" && spec.protocol != "sctp") {
      return InvalidInput("invalid proto: " + spec.protocol);
    }
  }
  auto number = [&](const std::string& s, int* out) {
    if (s.empty() || s.size() > 5 || s.find_first_not_of("0123456789") != std::string::npos) {
      return false;
    }
    *out = std::stoi(s);
    return *out <= 65535;
  };
  size_t dash = ports.find('-');
  if (!number(ports.substr(0, dash), &spec.first)) {
    return InvalidInput("invalid containerPort: " + ports);
  }
  spec.last = spec.first;
  if (dash != std::string::npos) {
    if (!number(ports.substr(dash + 1), &spec.last) || spec.last < spec.first) {
      return InvalidInput("invalid range specified for container port: " + ports);
    }
  }
  return spec;
}

Result<Mount> ParseMount(const std::string& value) {
  Mount m;
  bool type_seen = false;
  std::vector<std::pair<std::string, std::string>> fields;
  size_t start = 0;
  while (start <= value.size()) {
    size_t comma = value.find(',', start);
    std::string field = value.substr(start, comma == std::string::npos ? std::string::npos
                                                                       : comma - start);
    start = comma == std::string::npos ? value.size() + 1 : comma + 1;
    if (field.empty()) continue;
    size_t eq = field.find('=');
    std::string key = AsciiLower(field.substr(0, eq));
    std::string val = eq == std::string::npos ? "" : field.substr(eq + 1);
    if (eq == std::string::npos && key != "readonly" && key != "ro" && key != "rw" &&
        key != "readwrite" && key != "required") {
      return InvalidInput("invalid field '" + field + "' must be a key=value pair");
    }
    if (key == "type") {
      if (val == "bind") m.type = MountType::kBind;
      else if (val == "cache") m.type = MountType::kCache;
      else if (val == "secret") m.type = MountType::kSecret;
      else if (val == "ssh") m.type = MountType::kSsh;
      else if (val == "tmpfs") m.type = MountType::kTmpfs;
      else return InvalidInput("unsupported mount type \"" + val + "\"");
      type_seen = true;
      continue;
    }
    fields.emplace_back(key, val);
  }
  (void)type_seen;
  auto parse_bool = [](const std::string& v, bool* out) {
    std::string l = AsciiLower(v);
    if (l.empty() || l == "true" || l == "1") *out = true;
    else if (l == "false" || l == "0") *out = false;
    else return false;
    return true;
  };
  for (auto& [key, val] : fields) {
    bool ok = true;
    if (key == "from") m.from = val;
    else if (key == "source" || key == "src") m.source = val;
    else if (key == "target" || key == "dst" || key == "destination") m.target = val;
    else if (key == "readonly" || key == "ro") ok = parse_bool(val, &m.readonly);
    else if (key == "readwrite" || key == "rw") {
      bool rw;
      ok = parse_bool(val, &rw);
      m.readonly = !rw;
    } else if (key == "id") m.id = val;
    else if (key == "sharing") {
      if (val != "shared" && val != "private" && val != "locked") {
        return InvalidInput("unsupported sharing value \"" + val + "\"");
      }
      m.sharing = val;
    } else if (key == "mode") m.mode = val;
    else if (key == "uid") m.uid = val;
    else if (key == "gid") m.gid = val;
    else if (key == "size" && m.type == MountType::kTmpfs) m.size = val;
    else if (key == "env" && m.type == MountType::kSecret) m.env = val;
    else if (key == "required" && (m.type == MountType::kSecret || m.type == MountType::kSsh)) {
      ok = parse_bool(val, &m.required);
    } else {
      return InvalidInput("unexpected key '" + key + "' in '" + key + "=" + val + "'");
    }
    if (!ok) return InvalidInput("invalid value for " + key + ": " + val);
  }
  if (!m.from.empty() && m.type != MountType::kBind && m.type != MountType::kCache) {
    return InvalidInput("from is not supported for mount type " +
                        std::string(MountTypeName(m.type)));
  }
  if (m.target.empty() && m.type != MountType::kSecret && m.type != MountType::kSsh) {
    return InvalidInput("mount type " + std::string(MountTypeName(m.type)) + " requires a target");
  }
  if (m.type == MountType::kSecret && m.id.empty() && m.target.empty() && m.env.empty()) {
    return InvalidInput("secret mount requires an id, a target or an env");
  }
  if (m.type == MountType::kSecret || m.type == MountType::kCache) {
    if (m.type == MountType::kCache && m.id.empty()) m.id = m.target;
  }
  if (m.type == MountType::kBind && fields.empty()) {
    return InvalidInput("mount requires a target");
  }
  return m;
}

Result<Instruction> ParseInstruction(const Node& node, const std::string& file) {
  Instruction ins;
  ins.location = Location{file, node.start_line, node.column};
  ins.end_line = node.end_line;
  ins.original = node.original;
  ins.flags = node.flags;
  ins.heredocs = node.heredocs;
  const Location& where = ins.location;
  std::string upper = AsciiUpper(node.keyword);
  auto it = Keywords().find(AsciiLower(node.keyword));
  if (it == Keywords().end()) {
    std::string message = "unknown instruction: " + node.keyword;
    for (const auto& [name, kind] : Keywords()) {
      if (EditDistance(AsciiLower(node.keyword), name) <= 2) {
        message += " (did you mean " + AsciiLower(name) + "?)";
        break;
      }
    }
    return InvalidInput(message, where);
  }
  ins.kind = it->second;
  const std::vector<std::string>& args = node.args;
  auto need_at_least = [&](size_t n) -> Status {
    if (args.size() >= n) return Ok{};
    if (n == 1) return InvalidInput(upper + " requires at least one argument", where);
    return InvalidInput(upper + " requires at least two arguments, but only one was provided. "
                        "Destination could not be determined.", where);
  };
  auto exactly_one = [&]() -> Status {
    if (args.size() == 1) return Ok{};
    return InvalidInput(upper + " requires exactly one argument", where);
  };
  Flags flags(node, file);
  auto command = [&]() {
    ins.command.form = node.json ? CommandForm::kExec : CommandForm::kShell;
    ins.command.args = args;
  };

  switch (ins.kind) {
    case InstructionKind::kFrom: {
      flags.Add("platform", FlagKind::kString);
      PLINTH_CHECK(flags.Parse());
      if (args.size() != 1 && args.size() != 3) {
        return InvalidInput("FROM requires either one or three arguments", where);
      }
      ins.from.image = args[0];
      ins.from.platform = flags.String("platform");
      if (args.size() == 3) {
        if (AsciiLower(args[1]) != "as") {
          return InvalidInput(
              "when using FROM with three arguments, second argument must be \"AS\"", where);
        }
        std::string name = AsciiLower(args[2]);
        if (!IsValidStageName(name)) {
          return InvalidInput("invalid name for build stage: \"" + args[2] +
                                  "\", name can't start with a number or contain symbols",
                              where);
        }
        ins.from.name = name;
      }
      break;
    }
    case InstructionKind::kRun: {
      flags.Add("mount", FlagKind::kStringArray);
      flags.Add("network", FlagKind::kString);
      flags.Add("security", FlagKind::kString);
      PLINTH_CHECK(flags.Parse());
      for (const std::string& value : flags.Array("mount")) {
        auto m = ParseMount(value);
        if (!m) return InvalidInput("--mount=" + value + ": " + m.error().message(), where);
        ins.run.mounts.push_back(std::move(*m));
      }
      ins.run.network = flags.String("network");
      if (flags.IsSet("network") && ins.run.network != "none" && ins.run.network != "host" &&
          ins.run.network != "default") {
        return InvalidInput("unsupported network mode \"" + ins.run.network + "\"", where);
      }
      ins.run.security = flags.String("security");
      if (flags.IsSet("security") && ins.run.security != "sandbox" &&
          ins.run.security != "insecure") {
        return InvalidInput("unsupported security mode \"" + ins.run.security + "\"", where);
      }
      command();
      break;
    }
    case InstructionKind::kCmd:
    case InstructionKind::kEntrypoint:
      PLINTH_CHECK(flags.Parse());
      command();
      break;
    case InstructionKind::kShell:
      PLINTH_CHECK(flags.Parse());
      if (!node.json) return InvalidInput("SHELL requires the arguments to be in JSON form", where);
      PLINTH_CHECK(need_at_least(1));
      command();
      break;
    case InstructionKind::kCopy:
    case InstructionKind::kAdd: {
      bool is_copy = ins.kind == InstructionKind::kCopy;
      flags.Add("chown", FlagKind::kString);
      flags.Add("chmod", FlagKind::kString);
      flags.Add("link", FlagKind::kBool);
      flags.Add("exclude", FlagKind::kStringArray);
      if (is_copy) {
        flags.Add("from", FlagKind::kString);
        flags.Add("parents", FlagKind::kBool);
      } else {
        flags.Add("keep-git-dir", FlagKind::kBool);
        flags.Add("checksum", FlagKind::kString);
        flags.Add("unpack", FlagKind::kBool);
      }
      PLINTH_CHECK(flags.Parse());
      PLINTH_CHECK(need_at_least(2));
      ins.copy.sources.assign(args.begin(), args.end() - 1);
      ins.copy.dest = args.back();
      ins.copy.from = flags.String("from");
      if (is_copy && flags.IsSet("from") && ins.copy.from.empty()) {
        return InvalidInput("COPY --from requires a stage name, index or image", where);
      }
      ins.copy.chown = flags.String("chown");
      ins.copy.chmod = flags.String("chmod");
      ins.copy.checksum = flags.String("checksum");
      ins.copy.exclude = flags.Array("exclude");
      ins.copy.link = flags.Bool("link");
      ins.copy.parents = flags.Bool("parents");
      ins.copy.keep_git_dir = flags.Bool("keep-git-dir");
      ins.copy.unpack = flags.Bool("unpack");
      break;
    }
    case InstructionKind::kEnv:
    case InstructionKind::kLabel: {
      PLINTH_CHECK(flags.Parse());
      PLINTH_CHECK(need_at_least(1));
      if (args.size() % 3 != 0) {
        return InvalidInput("Bad input to " + upper + ", too many arguments", where);
      }
      for (size_t i = 0; i < args.size(); i += 3) {
        if (args[i].empty()) return InvalidInput(upper + " names can not be blank", where);
        ins.pairs.push_back({args[i], args[i + 1], true});
      }
      break;
    }
    case InstructionKind::kArg:
      PLINTH_CHECK(flags.Parse());
      PLINTH_CHECK(need_at_least(1));
      for (const std::string& word : args) {
        size_t eq = word.find('=');
        KeyValue kv{word.substr(0, eq), eq == std::string::npos ? "" : word.substr(eq + 1),
                    eq != std::string::npos};
        if (kv.key.empty()) return InvalidInput("ARG names can not be blank", where);
        ins.pairs.push_back(std::move(kv));
      }
      break;
    case InstructionKind::kExpose:
      PLINTH_CHECK(flags.Parse());
      PLINTH_CHECK(need_at_least(1));
      for (const std::string& port : args) {
        if (port.find('$') != std::string::npos) continue;  // checked after expansion
        if (auto p = ParsePortSpec(port); !p) return InvalidInput(p.error().message(), where);
      }
      ins.args = args;
      break;
    case InstructionKind::kVolume:
      PLINTH_CHECK(flags.Parse());
      PLINTH_CHECK(need_at_least(1));
      for (const std::string& v : args) {
        if (text::TrimSpace(v).empty()) {
          return InvalidInput("VOLUME specified can not be an empty string", where);
        }
      }
      ins.args = args;
      break;
    case InstructionKind::kUser:
    case InstructionKind::kWorkdir:
    case InstructionKind::kStopSignal:
    case InstructionKind::kMaintainer:
      PLINTH_CHECK(flags.Parse());
      PLINTH_CHECK(exactly_one());
      ins.args = args;
      break;
    case InstructionKind::kHealthcheck: {
      if (args.empty()) return InvalidInput("HEALTHCHECK requires an argument", where);
      std::string type = AsciiUpper(args[0]);
      if (type == "NONE") {
        if (args.size() != 1) return InvalidInput("HEALTHCHECK NONE takes no arguments", where);
        ins.health.type = HealthcheckType::kNone;
        break;
      }
      for (const char* f : {"interval", "timeout", "start-period", "start-interval", "retries"}) {
        flags.Add(f, FlagKind::kString);
      }
      PLINTH_CHECK(flags.Parse());
      if (type != "CMD") {
        return InvalidInput("Unknown type \"" + type + "\" in HEALTHCHECK (try CMD)", where);
      }
      if (args.size() < 2) return InvalidInput("Missing command after HEALTHCHECK CMD", where);
      ins.health.test.form = node.json ? CommandForm::kExec : CommandForm::kShell;
      ins.health.test.args.assign(args.begin() + 1, args.end());
      PLINTH_TRY(ins.health.interval, ParseInterval(flags, "interval", where));
      PLINTH_TRY(ins.health.timeout, ParseInterval(flags, "timeout", where));
      PLINTH_TRY(ins.health.start_period, ParseInterval(flags, "start-period", where));
      PLINTH_TRY(ins.health.start_interval, ParseInterval(flags, "start-interval", where));
      if (std::string r = flags.String("retries"); !r.empty()) {
        char* end = nullptr;
        long long n = std::strtoll(r.c_str(), &end, 10);
        if (*end != '\0' || n > INT32_MAX || n < INT32_MIN) {
          return InvalidInput("--retries: invalid syntax: " + r, where);
        }
        if (n < 0) {
          return InvalidInput("--retries cannot be negative (" + std::to_string(n) + ")", where);
        }
        ins.health.retries = static_cast<int>(n);
      }
      break;
    }
    case InstructionKind::kOnbuild: {
      PLINTH_CHECK(flags.Parse());
      if (node.children.empty()) return InvalidInput("ONBUILD requires at least one argument", where);
      Node child = node.children[0];
      child.start_line = node.start_line;
      child.end_line = node.end_line;
      child.column = node.column;
      child.heredocs = node.heredocs;
      std::string trig = AsciiUpper(child.keyword);
      if (trig == "ONBUILD") {
        return InvalidInput("Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed", where);
      }
      if (trig == "FROM" || trig == "MAINTAINER") {
        return InvalidInput(trig + " isn't allowed as an ONBUILD trigger", where);
      }
      PLINTH_TRY(Instruction trigger, ParseInstruction(child, file));
      ins.trigger.push_back(std::move(trigger));
      break;
    }
  }
  return ins;
}

Result<std::vector<Instruction>> ParseInstructions(const Ast& ast) {
  std::vector<Instruction> out;
  out.reserve(ast.instructions.size());
  bool seen_from = false;
  for (const Node& node : ast.instructions) {
    PLINTH_TRY(Instruction ins, ParseInstruction(node, ast.file));
    if (ins.kind == InstructionKind::kFrom) seen_from = true;
    if (!seen_from && ins.kind != InstructionKind::kArg) {
      return InvalidInput(std::string(KeywordOf(ins.kind)) +
                              " before the first FROM: no build stage in current context "
                              "(only ARG may come before FROM)",
                          ins.location);
    }
    out.push_back(std::move(ins));
  }
  if (!seen_from) {
    return InvalidInput("dockerfile contains no stages to build (no FROM)",
                        Location{ast.file, ast.end_line, 1});
  }
  return out;
}

}  // namespace plinth::dockerfile
