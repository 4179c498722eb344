// The fleet the cache soundness suite builds, and the catalogue of mutations it applies to it.
//
// The fleet (native stages only, FROM scratch underneath, so a clean build needs nothing from
// outside): `base` (files with several modes and a link), `obase` (ONBUILD triggers), `app`
// (a global ARG, build args, two stages, COPY --chmod/--chown, a heredoc, a .dockerignore, a
// link inside a copied folder), `multi` (wildcards, COPY --from a stage and from another fleet
// image, WORKDIR, ENV), `child` (FROM obase: its triggers read child's context) and `tools` (ADD
// of a local archive, a COPY source that is itself a link, folder modes).
//
// Each mutation changes one input: the Dockerfile, a context file (content, mode, link, type),
// the .dockerignore, plinth.yaml (build args, platforms, tags, paths), or the environment
// (SOURCE_DATE_EPOCH). It says what the next build must do: rebuild a target and name the input
// in `plan --explain`, leave every target cached (the converse: what cannot reach an image),
// or merely build what a clean build builds.
#pragma once

#include <functional>
#include <map>
#include <random>
#include <string>
#include <vector>

namespace plinth::testing {

// A fleet folder and the environment plinth runs with there.
struct FleetDir {
  std::string path;
  std::map<std::string, std::string> env;

  std::string operator/(const std::string& rel) const { return path + "/" + rel; }
  // File edits, relative to the fleet; each aborts the test on failure.
  void Write(const std::string& rel, const std::string& content, int mode = 0644) const;
  void Append(const std::string& rel, const std::string& text) const;
  void Replace(const std::string& rel, const std::string& from, const std::string& to) const;
  void Chmod(const std::string& rel, int mode) const;
  void Link(const std::string& rel, const std::string& target) const;  // replaces what is there
  void Remove(const std::string& rel) const;
  void Touch(const std::string& rel) const;  // a new mtime, content unchanged
  void Read(const std::string& rel) const;   // a new atime
  void Chown(const std::string& rel, int uid, int gid) const;
};

void WriteNativeFleet(const FleetDir& fleet);

enum class Expect {
  kRebuilds,     // `target` is built again, and `plan --explain` names `explains` for it
  kStaysCached,  // every target is cached
  kSameImages,   // only: the cached build's images are the clean build's
};

struct Mutation {
  std::string name;
  Expect expect = Expect::kRebuilds;
  // kRebuilds: target ("app@linux/amd64") → a part of one of its `plan --explain` reasons
  // ("arg:MSG changed"); each of these targets is built again.
  std::map<std::string, std::string> rebuilds;
  std::function<void(FleetDir&)> apply;
};

// In the order they are applied, each on top of the ones before.
std::vector<Mutation> NativeCatalogue();

// A fleet whose service `svc` has a stage that RUNs (through buildah: a static program that
// writes what it read, with the file's mode and a build arg, FROM scratch) under a final stage
// on the fleet base `base`; and the few mutations its RUN stage must see.
void WriteRunFleet(const FleetDir& fleet, const std::string& scratch);
std::vector<Mutation> RunCatalogue();

// A random mutation of the native fleet drawn from `random` (seeded by the caller): a random
// file of a random target edited, chmod'ed, relinked, added or removed, an ARG or build arg
// changed, or one of the converse kind (mtime, an ignored or unread file, a comment).
Mutation RandomMutation(std::mt19937& random);

}  // namespace plinth::testing
