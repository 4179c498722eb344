#include "debian/recipe.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <regex>

#include "oci/reference.h"
#include "util/fs.h"
#include "util/sha256.h"

namespace plinth::debian {
namespace {

// What maintainer scripts need and a distroless image must not have. "awk" is virtual: base-files
// Pre-Depends on it only for its postinst.
const char* kDefaultExcludes[] = {"dpkg", "apt", "perl-base", "dash", "bash", "debconf", "awk"};
const char* kDefaultPathExcludes[] = {
    "usr/share/doc/**", "usr/share/man/**", "usr/share/info/**", "usr/share/locale/**",
    "usr/share/lintian/**", "usr/share/linda/**", "usr/share/bug/**", "usr/share/menu/**"};
const char* kDefaultPathKeep[] = {"usr/share/doc/*/copyright"};

Location Where(const YAML::Node& node, const std::string& file) {
  YAML::Mark m = node.Mark();
  return {file, m.line + 1, m.column + 1};
}

class Reader {
 public:
  explicit Reader(std::string file) : file_(std::move(file)) {}

  Error Bad(const YAML::Node& node, const std::string& what) const {
    return InvalidInput("recipe: " + what, Where(node, file_));
  }

  Result<std::string> Scalar(const YAML::Node& node, const std::string& key) const {
    if (!node.IsScalar()) return Bad(node, "'" + key + "' must be a string");
    return node.Scalar();
  }

  Result<std::vector<std::string>> List(const YAML::Node& node, const std::string& key) const {
    std::vector<std::string> out;
    if (node.IsScalar()) {
      out.push_back(node.Scalar());
      return out;
    }
    if (!node.IsSequence()) return Bad(node, "'" + key + "' must be a list of strings");
    for (const auto& item : node) {
      PLINTH_TRY(std::string s, Scalar(item, key));
      out.push_back(std::move(s));
    }
    return out;
  }

  Result<uint32_t> Number(const YAML::Node& node, const std::string& key, uint32_t max) const {
    PLINTH_TRY(std::string s, Scalar(node, key));
    const bool octal = key == "mode";
    const char* digits = octal ? "01234567" : "0123456789";
    if (s.empty() || s.find_first_not_of(digits) != std::string::npos || s.size() > 10) {
      return Bad(node, "'" + key + "' must be " + (octal ? "an octal" : "a decimal") +
                           " number, got '" + s.substr(0, 40) + "'");
    }
    uint64_t v = 0;  // at most 10 digits: no overflow
    for (char c : s) v = v * (octal ? 8 : 10) + static_cast<uint64_t>(c - '0');
    if (v > max) return Bad(node, "'" + key + "' is out of range (at most " + std::to_string(max) + ")");
    return static_cast<uint32_t>(v);
  }

  Status Keys(const YAML::Node& node, std::initializer_list<const char*> allowed,
              const std::string& what) const {
    if (!node.IsMap()) return Bad(node, what + " must be a mapping");
    for (const auto& kv : node) {
      if (!kv.first.IsScalar()) return Bad(kv.first, "keys of " + what + " must be strings");
      std::string key = kv.first.Scalar();
      if (std::none_of(allowed.begin(), allowed.end(), [&](const char* a) { return key == a; }))
        return Bad(kv.first, "unknown key '" + key + "' in " + what);
    }
    return Ok{};
  }

  // The key of a map entry, which must be a string.
  Result<std::string> Key(const YAML::Node& key, const std::string& what) const {
    if (!key.IsScalar()) return Bad(key, "keys of '" + what + "' must be strings");
    return key.Scalar();
  }

  const std::string& file() const { return file_; }

 private:
  std::string file_;
};

bool ValidName(const std::string& s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_';
  });
}

}  // namespace

std::string GnuTriplet(const std::string& arch) {
  if (arch == "amd64") return "x86_64-linux-gnu";
  if (arch == "arm64") return "aarch64-linux-gnu";
  if (arch == "armhf") return "arm-linux-gnueabihf";
  if (arch == "i386") return "i386-linux-gnu";
  if (arch == "ppc64el") return "powerpc64le-linux-gnu";
  if (arch == "s390x") return "s390x-linux-gnu";
  return arch + "-linux-gnu";
}

std::string ExpandArch(const std::string& text, const std::string& arch) {
  std::string out = text;
  for (auto [var, value] : {std::pair<std::string, std::string>{"${ARCH}", arch},
                            {"${TRIPLET}", GnuTriplet(arch)}}) {
    for (size_t pos = out.find(var); pos != std::string::npos; pos = out.find(var, pos + value.size()))
      out.replace(pos, var.size(), value);
  }
  return out;
}

std::string Recipe::ResolutionInputs(const std::string& arch, const std::string& installed) const {
  std::string text = "suite=" + suite + "\narch=" + arch + "\nmirror=" + mirror + "\n";
  // Only layered recipes add these lines, so the inputs of every other recipe stay as they were.
  if (!from.empty()) text += "from=" + FromFor(arch) + "\ninstalled=" + installed + "\n";
  for (const auto& s : sources) text += "source=" + s.ToLine(arch, "") ;
  if (offline) text += "offline=" + offline->packages + "\n";
  for (const auto& p : packages) text += "package=" + p + "\n";
  for (const auto& e : excludes) text += "exclude=" + e + "\n";
  text += essential == EssentialPolicy::kInstall ? "essential=install\n" : "essential=satisfied\n";
  return Sha256::HexOf(text);
}

std::string Recipe::FromFor(const std::string& arch) const {
  return from.empty() ? "" : ExpandArch(from, arch);
}

namespace {
Result<Recipe> ParseRecipeNode(const YAML::Node& node, const std::string& file) {
  Reader r(file);
  PLINTH_CHECK(r.Keys(node,
                      {"name", "description", "suite", "from", "architectures", "mirror", "sources", "index",
                       "packages", "exclude", "essential", "merged_usr", "path_excludes",
                       "path_keep", "users", "groups", "files", "env", "entrypoint", "cmd", "user",
                       "workdir", "labels", "compression"},
                      "a recipe"));
  Recipe recipe;
  recipe.file = file;
  for (const char* e : kDefaultExcludes) recipe.excludes.insert(e);
  for (const char* p : kDefaultPathExcludes) recipe.path_excludes.push_back(p);
  for (const char* p : kDefaultPathKeep) recipe.path_keep.push_back(p);
  recipe.users = {{"root", 0, 0, "/root"}, {"nobody", 65534, 65534, "/nonexistent"},
                  {"nonroot", 65532, 65532, "/home/nonroot"}};
  recipe.groups = {{"root", 0}, {"tty", 5}, {"staff", 50}, {"nogroup", 65534}, {"nonroot", 65532}};
  recipe.env = {{"PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"},
                {"SSL_CERT_FILE", "/etc/ssl/certs/ca-certificates.crt"}};

  for (const auto& kv : node) {
    const std::string key = kv.first.Scalar();
    const YAML::Node& v = kv.second;
    if (key == "name") {
      PLINTH_TRY(recipe.name, r.Scalar(v, key));
      if (!ValidName(recipe.name)) return r.Bad(v, "name must match [a-z0-9._-]+");
    } else if (key == "description") {
      PLINTH_CHECK(r.Scalar(v, key));
    } else if (key == "suite") {
      PLINTH_TRY(recipe.suite, r.Scalar(v, key));
    } else if (key == "from") {
      PLINTH_TRY(recipe.from, r.Scalar(v, key));
      if (recipe.from.empty()) return r.Bad(v, "'from' names an image; leave it out for a base of its own");
      if (auto ref = oci::Reference::Parse(ExpandArch(recipe.from, "amd64")); !ref)
        return r.Bad(v, "'from': " + ref.error().message());
    } else if (key == "architectures") {
      PLINTH_TRY(recipe.architectures, r.List(v, key));
      for (const auto& a : recipe.architectures) {
        if (a != "amd64" && a != "arm64" && a != "armhf" && a != "i386" && a != "ppc64el" && a != "s390x" && a != "riscv64")
          return r.Bad(v, "unknown Debian architecture '" + a + "'");
      }
    } else if (key == "mirror") {
      PLINTH_TRY(recipe.mirror, r.Scalar(v, key));
    } else if (key == "sources") {
      if (!v.IsSequence()) return r.Bad(v, "'sources' must be a list");
      for (const auto& s : v) {
        PLINTH_CHECK(r.Keys(s, {"uri", "suite", "components"}, "a source"));
        AptSource src;
        if (!s["uri"] || !s["suite"]) return r.Bad(s, "a source needs 'uri' and 'suite'");
        PLINTH_TRY(src.uri, r.Scalar(s["uri"], "uri"));
        PLINTH_TRY(src.suite, r.Scalar(s["suite"], "suite"));
        if (s["components"]) {
          PLINTH_TRY(src.components, r.List(s["components"], "components"));
        }
        recipe.sources.push_back(std::move(src));
      }
    } else if (key == "index") {
      PLINTH_CHECK(r.Keys(v, {"packages", "release", "signature", "debs"}, "'index'"));
      OfflineIndex idx;
      if (!v["packages"] || !v["release"] || !v["debs"])
        return r.Bad(v, "'index' needs 'packages', 'release' and 'debs'");
      PLINTH_TRY(idx.packages, r.Scalar(v["packages"], "packages"));
      PLINTH_TRY(idx.release, r.Scalar(v["release"], "release"));
      PLINTH_TRY(idx.debs, r.Scalar(v["debs"], "debs"));
      if (v["signature"]) {
          PLINTH_TRY(idx.signature, r.Scalar(v["signature"], "signature"));
        }
      // Relative paths are relative to the recipe file.
      std::string base = file.find('/') == std::string::npos ? "." : file.substr(0, file.rfind('/'));
      for (std::string* p : {&idx.packages, &idx.release, &idx.signature, &idx.debs}) {
        if (!p->empty() && (*p)[0] != '/') *p = base + "/" + *p;
      }
      recipe.offline = std::move(idx);
    } else if (key == "packages") {
      PLINTH_TRY(recipe.packages, r.List(v, key));
    } else if (key == "exclude") {
      PLINTH_TRY(auto list, r.List(v, key));
      recipe.excludes.insert(list.begin(), list.end());
    } else if (key == "essential") {
      PLINTH_TRY(std::string s, r.Scalar(v, key));
      if (s == "install") recipe.essential = EssentialPolicy::kInstall;
      else if (s != "satisfied") return r.Bad(v, "'essential' is 'satisfied' or 'install'");
    } else if (key == "merged_usr") {
      PLINTH_TRY(std::string s, r.Scalar(v, key));
      if (s == "false" || s == "no") recipe.merged_usr = MergedUsr::kNo;
      else if (s != "true" && s != "yes") return r.Bad(v, "'merged_usr' is true or false");
    } else if (key == "path_excludes") {
      PLINTH_TRY(recipe.path_excludes, r.List(v, key));
    } else if (key == "path_keep") {
      PLINTH_TRY(recipe.path_keep, r.List(v, key));
    } else if (key == "users") {
      if (!v.IsSequence()) return r.Bad(v, "'users' must be a list");
      for (const auto& u : v) {
        PLINTH_CHECK(r.Keys(u, {"name", "uid", "gid", "home"}, "a user"));
        if (!u["name"] || !u["uid"]) return r.Bad(u, "a user needs 'name' and 'uid'");
        RecipeUser user;
        PLINTH_TRY(user.name, r.Scalar(u["name"], "name"));
        PLINTH_TRY(user.uid, r.Number(u["uid"], "uid", 0xfffffffe));
        user.gid = user.uid;
        if (u["gid"]) {
          PLINTH_TRY(user.gid, r.Number(u["gid"], "gid", 0xfffffffe));
        }
        user.home = "/home/" + user.name;
        if (u["home"]) {
          PLINTH_TRY(user.home, r.Scalar(u["home"], "home"));
        }
        std::erase_if(recipe.users, [&](const RecipeUser& x) { return x.name == user.name || x.uid == user.uid; });
        recipe.users.push_back(std::move(user));
      }
    } else if (key == "groups") {
      if (!v.IsSequence()) return r.Bad(v, "'groups' must be a list");
      for (const auto& g : v) {
        PLINTH_CHECK(r.Keys(g, {"name", "gid"}, "a group"));
        if (!g["name"] || !g["gid"]) return r.Bad(g, "a group needs 'name' and 'gid'");
        RecipeGroup group;
        PLINTH_TRY(group.name, r.Scalar(g["name"], "name"));
        PLINTH_TRY(group.gid, r.Number(g["gid"], "gid", 0xfffffffe));
        std::erase_if(recipe.groups, [&](const RecipeGroup& x) { return x.name == group.name || x.gid == group.gid; });
        recipe.groups.push_back(std::move(group));
      }
    } else if (key == "files") {
      if (!v.IsSequence()) return r.Bad(v, "'files' must be a list");
      for (const auto& f : v) {
        PLINTH_CHECK(r.Keys(f, {"path", "content", "symlink", "directory", "mode", "uid", "gid"}, "a file"));
        if (!f["path"]) return r.Bad(f, "a file needs 'path'");
        RecipeFile rf;
        PLINTH_TRY(rf.path, r.Scalar(f["path"], "path"));
        if (rf.path.empty() || rf.path[0] != '/') return r.Bad(f["path"], "file paths are absolute");
        int kinds = (f["content"] ? 1 : 0) + (f["symlink"] ? 1 : 0) + (f["directory"] ? 1 : 0);
        if (kinds != 1) return r.Bad(f, "a file needs exactly one of 'content', 'symlink', 'directory'");
        if (f["content"]) {
          PLINTH_TRY(rf.content, r.Scalar(f["content"], "content"));
        } else if (f["symlink"]) {
          rf.kind = ExtraFileKind::kSymlink;
          rf.mode = 0777;
          PLINTH_TRY(rf.content, r.Scalar(f["symlink"], "symlink"));
        } else {
          rf.kind = ExtraFileKind::kDirectory;
          rf.mode = 0755;
        }
        if (f["mode"]) {
          PLINTH_TRY(rf.mode, r.Number(f["mode"], "mode", 07777));
        }
        if (f["uid"]) {
          PLINTH_TRY(rf.uid, r.Number(f["uid"], "uid", 0xfffffffe));
        }
        if (f["gid"]) {
          PLINTH_TRY(rf.gid, r.Number(f["gid"], "gid", 0xfffffffe));
        }
        recipe.files.push_back(std::move(rf));
      }
    } else if (key == "env") {
      if (!v.IsMap()) return r.Bad(v, "'env' must be a mapping");
      for (const auto& e : v) {
        PLINTH_TRY(std::string name, r.Key(e.first, key));
        PLINTH_TRY(std::string value, r.Scalar(e.second, name));
        std::erase_if(recipe.env, [&](const auto& x) { return x.first == name; });
        recipe.env.emplace_back(name, value);
      }
    } else if (key == "entrypoint") {
      PLINTH_TRY(recipe.entrypoint, r.List(v, key));
    } else if (key == "cmd") {
      PLINTH_TRY(recipe.cmd, r.List(v, key));
    } else if (key == "user") {
      PLINTH_TRY(recipe.user, r.Scalar(v, key));
    } else if (key == "workdir") {
      PLINTH_TRY(recipe.workdir, r.Scalar(v, key));
    } else if (key == "compression") {
      PLINTH_TRY(std::string s, r.Scalar(v, key));
      auto compression = layer::ParseCompression(s);
      if (!compression) return r.Bad(v, "'compression': " + compression.error().message());
      recipe.compression = *compression;
    } else if (key == "labels") {
      if (!v.IsMap()) return r.Bad(v, "'labels' must be a mapping");
      for (const auto& e : v) {
        PLINTH_TRY(std::string name, r.Key(e.first, key));
        PLINTH_TRY(recipe.labels[name], r.Scalar(e.second, name));
      }
    }
  }
  if (recipe.name.empty()) return r.Bad(node, "a recipe needs a 'name'");
  if (recipe.suite.empty() && !recipe.offline) return r.Bad(node, "recipe '" + recipe.name + "' needs a 'suite'");
  if (recipe.packages.empty()) return r.Bad(node, "recipe '" + recipe.name + "' lists no packages");
  // Asking for a package overrides its default exclusion (a base may want bash on purpose).
  for (const auto& p : recipe.packages) recipe.excludes.erase(p.substr(0, p.find('=')));
  return recipe;
}
}  // namespace

Result<Recipe> ParseRecipe(const YAML::Node& node, const std::string& file) {
  try {
    return ParseRecipeNode(node, file);
  } catch (const YAML::Exception& e) {
    return InvalidInput("recipe: " + e.msg, {file, e.mark.line + 1, e.mark.column + 1});
  } catch (const std::exception& e) {
    // Every check above returns an error value; this keeps a missed one from aborting plinth.
    return InvalidInput(std::string("recipe: unreadable (") + e.what() + ")", {file});
  }
}

Result<Recipe> LoadRecipeFile(const std::string& path) {
  if (!PathExists(path)) return NotFound("reading recipe " + path + ": cannot open");
  auto text = ReadFileAtMost(path, kMaxRecipeSize);
  if (!text) return text.error().Context("reading recipe");
  YAML::Node root;
  try {
    root = YAML::Load(*text);
  } catch (const YAML::Exception& e) {
    return InvalidInput("recipe: " + e.msg, {path, e.mark.line + 1, e.mark.column + 1});
  }
  return ParseRecipe(root, path);
}

}  // namespace plinth::debian
