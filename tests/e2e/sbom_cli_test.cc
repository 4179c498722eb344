// `plinth sbom` and `plinth build --sbom` end to end: the SBOM of a base built by plinth from
// real Debian packages lists exactly what its plinth.lock resolved; a fleet built with --sbom
// --push-to a real docker-registry (no referrers API: distribution 2.8) leaves each image's
// SBOM findable from the pushed image through the sha256-<hex> fallback tag, read back with
// skopeo and the registry's blob API, and by `plinth sbom docker://REF`; `plinth sbom` returns
// the attached SBOM before computing one (a registry image without one is pulled); bad input
// exits 2.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <tuple>

#include "support/plinth_runner.h"
#include "support/registry_server.h"
#include "support/sbom_schema.h"
#include "support/test_env.h"
#include "util/fs.h"
#include "util/sha256.h"

namespace plinth {
namespace {

using nlohmann::json;
using ::testing::HasSubstr;
using testing::RunPlinth;

using PackageSet = std::set<std::tuple<std::string, std::string, std::string>>;

// name, version, arch of each package line in one section of a plinth.lock.
PackageSet LockPackages(const std::string& lock, const std::string& section) {
  PackageSet out;
  std::istringstream in(lock);
  std::string line;
  bool inside = false;
  while (std::getline(in, line)) {
    if (line.starts_with("[")) {
      inside = line.starts_with("[" + section + "]");
      continue;
    }
    if (!inside || line.empty() || line.starts_with("#")) continue;
    std::istringstream words(line);
    std::string name, version, arch;
    words >> name >> version >> arch;
    out.emplace(name, version, arch);
  }
  return out;
}

// The purl's arch qualifier ("...?arch=amd64&distro=...").
std::string PurlArch(const std::string& purl) {
  size_t at = purl.find("arch=");
  if (at == std::string::npos) return "";
  size_t end = purl.find('&', at);
  return purl.substr(at + 5, end == std::string::npos ? std::string::npos : end - at - 5);
}

PackageSet SpdxPackages(const json& doc) {
  PackageSet out;
  for (const auto& p : doc["packages"]) {
    if (p["SPDXID"] == "SPDXRef-Image") continue;
    out.emplace(p["name"], p["versionInfo"],
                PurlArch(p["externalRefs"][0]["referenceLocator"].get<std::string>()));
  }
  return out;
}

PackageSet CycloneDxPackages(const json& doc) {
  PackageSet out;
  for (const auto& c : doc["components"])
    if (c["type"] == "library")
      out.emplace(c["name"], c["version"], PurlArch(c["purl"].get<std::string>()));
  return out;
}

// Builds examples/lucid/bases/RECIPE.yaml for `arch` and checks both SBOMs of the image: valid
// against their schemas, and listing exactly the packages its plinth.lock section resolved.
void CheckLucidBase(const std::string& recipe, const std::string& arch) {
  SCOPED_TRACE(recipe + " " + arch);
  testing::ScratchDir dir;
  std::map<std::string, std::string> env = {{"PLINTH_DEBIAN_CACHE", testing::TestDebCache()}};
  const std::string name = "lucid/" + recipe + ":sbom";
  auto built = RunPlinth({"--store", dir / "store", "base", "build",
                          testing::SourceDir() + "/examples/lucid/bases/" + recipe + ".yaml",
                          "--arch", arch, "--lock", dir / "plinth.lock", "-t", name},
                         env);
  ASSERT_EQ(built.exit_code, 0) << built.err;
  auto lock = ReadFile(dir / "plinth.lock");
  ASSERT_TRUE(lock);
  PackageSet locked = LockPackages(*lock, recipe + "/" + arch);
  ASSERT_GE(locked.size(), 5u) << *lock;

  auto spdx = RunPlinth({"--store", dir / "store", "sbom", name, "--platform", "linux/" + arch,
                         "-o", dir / "sbom.json"});
  ASSERT_EQ(spdx.exit_code, 0) << spdx.err;
  EXPECT_THAT(spdx.err, HasSubstr("computed from the package records"));
  auto spdx_text = ReadFile(dir / "sbom.json");
  ASSERT_TRUE(spdx_text);
  json doc = json::parse(*spdx_text);
  EXPECT_EQ(SpdxPackages(doc), locked);
  auto spdx_valid = testing::ValidateSpdx23(*spdx_text);
  EXPECT_EQ(spdx_valid.exit_code, 0) << spdx_valid.output;
  // libc6's purl carries the distro and its source package.
  bool libc_seen = false;
  for (const auto& p : doc["packages"]) {
    if (p["name"] != "libc6") continue;
    libc_seen = true;
    EXPECT_THAT(p["externalRefs"][0]["referenceLocator"].get<std::string>(),
                HasSubstr("?arch=" + arch + "&distro=debian-12"));
    EXPECT_EQ(p["sourceInfo"].get<std::string>().rfind("built package from: glibc ", 0), 0u);
  }
  EXPECT_EQ(libc_seen, recipe != "static-debian12");  // the static base has no libc6

  auto cdx = RunPlinth({"--store", dir / "store", "sbom", name, "--platform", "linux/" + arch,
                        "--format", "cyclonedx-json"});
  ASSERT_EQ(cdx.exit_code, 0) << cdx.err;
  EXPECT_EQ(CycloneDxPackages(json::parse(cdx.out)), locked);
  auto cdx_valid = testing::ValidateCycloneDx15(cdx.out);
  EXPECT_EQ(cdx_valid.exit_code, 0) << cdx_valid.output;
  // The same image gives the same bytes.
  auto again = RunPlinth({"--store", dir / "store", "sbom", name, "--platform", "linux/" + arch});
  ASSERT_EQ(again.exit_code, 0);
  EXPECT_EQ(again.out, *spdx_text);
}

TEST(SbomCliTest, LucidBasesListExactlyWhatTheirLocksResolved) {
  CheckLucidBase("static-debian12", "amd64");
  CheckLucidBase("cc-debian12", "amd64");
  CheckLucidBase("python3-debian12", "amd64");
  CheckLucidBase("lucid-base", "arm64");
  CheckLucidBase("lucid-base-python", "arm64");
}

TEST(SbomCliTest, LicencesComeFromDep5CopyrightFiles) {
  testing::ScratchDir dir;
  std::map<std::string, std::string> env = {{"PLINTH_DEBIAN_CACHE", testing::TestDebCache()}};
  auto built = RunPlinth({"--store", dir / "store", "base", "build",
                          testing::SourceDir() + "/examples/lucid/bases/python3-debian12.yaml",
                          "--arch", "amd64", "--lock", dir / "plinth.lock", "-t", "py:sbom"},
                         env);
  ASSERT_EQ(built.exit_code, 0) << built.err;
  auto spdx = RunPlinth({"--store", dir / "store", "sbom", "py:sbom", "--platform", "linux/amd64"});
  ASSERT_EQ(spdx.exit_code, 0) << spdx.err;
  std::map<std::string, std::string> declared;
  const json doc = json::parse(spdx.out);
  for (const auto& p : doc["packages"])
    declared[p["name"].get<std::string>()] = p["licenseDeclared"].get<std::string>();
  // ca-certificates' copyright file is DEP-5 (GPL-2+ and MPL-2.0); glibc's is not.
  EXPECT_THAT(declared["ca-certificates"], HasSubstr("GPL-2.0-or-later"));
  EXPECT_THAT(declared["ca-certificates"], HasSubstr("MPL-2.0"));
  EXPECT_EQ(declared["libc6"], "NOASSERTION");
}

// A fleet on `registry`: a base FROM scratch carrying two distroless-style dpkg records and an
// os-release, and a service on it adding its own code.
void WriteFleet(const std::string& dir, const std::string& registry) {
  testing::WriteTestFile(dir + "/plinth.yaml", "version: 1\nregistry: \"" + registry + "\"\n" +
                                                   R"(namespace: pickme
image: "{namespace}/sbom-{name}:latest-{arch}"
platforms: [linux/amd64]
tiers:
  foundation:
    runtime_base: {allow: ["fleet:*"]}
groups:
  base: {phase: 0}
  foundation: {phase: 1}
bases:
  sbom-base:
    dockerfile: base/Dockerfile
    context: base
    image: "{namespace}/sbom-base:latest-{arch}"
    group: base
services:
  api:
    dockerfile: api/Dockerfile
    context: api
    tier: foundation
    group: foundation
    base: sbom-base
)");
  testing::WriteTestFile(dir + "/base/Dockerfile", "FROM scratch\nCOPY root/ /\nUSER 65532\n");
  testing::WriteTestFile(dir + "/base/root/usr/lib/os-release", "ID=debian\nVERSION_ID=\"12\"\n");
  testing::WriteTestFile(dir + "/base/root/var/lib/dpkg/status.d/tzdata",
                         "Package: tzdata\nVersion: 2024a-0+deb12u1\nArchitecture: all\n");
  testing::WriteTestFile(dir + "/base/root/var/lib/dpkg/status.d/zlib1g",
                         "Package: zlib1g\nVersion: 1:1.2.13.dfsg-1\nArchitecture: amd64\n"
                         "Source: zlib\n");
  testing::WriteTestFile(dir + "/base/root/var/lib/dpkg/status.d/zlib1g.md5sums",
                         "00000000000000000000000000000000  usr/lib/libz.so.1\n");
  testing::WriteTestFile(dir + "/base/root/usr/lib/libz.so.1", "zlib\n");
  testing::WriteTestFile(dir + "/api/Dockerfile", "FROM " + registry +
                                                      "/pickme/sbom-base:latest-${TARGETARCH}\n"
                                                      "COPY server.py /app/\nUSER 65532\n");
  testing::WriteTestFile(dir + "/api/server.py", "print('api')\n");
}

TEST(SbomCliTest, BuildWithSbomPushesEachImagesSbomFindableFromIt) {
  testing::RegistryServer registry;
  ASSERT_TRUE(registry.ok()) << registry.error();
  testing::ScratchDir dir;
  WriteFleet(dir / "fleet", registry.host());
  auto built = RunPlinth({"--store", dir / "store", "build", "--sbom", "--push-to", registry.host(),
                          "--insecure", registry.host()},
                         {}, dir / "fleet");
  ASSERT_EQ(built.exit_code, 0) << built.out << built.err;

  std::map<std::string, std::string> image_hex_of;
  for (const std::string name : {"sbom-base", "sbom-api"}) {
    SCOPED_TRACE(name);
    const std::string repo = registry.host() + "/pickme/" + name;
    auto raw = testing::Run(
        {"skopeo", "inspect", "--raw", "--tls-verify=false", "docker://" + repo + ":latest-amd64"});
    ASSERT_EQ(raw.exit_code, 0) << raw.err;
    const std::string image_hex = Sha256::HexOf(raw.out);
    image_hex_of[name] = image_hex;
    // The fallback tag lists the SBOM artifact.
    auto tagged = testing::Run({"skopeo", "inspect", "--raw", "--tls-verify=false",
                                "docker://" + repo + ":sha256-" + image_hex});
    ASSERT_EQ(tagged.exit_code, 0) << tagged.err;
    json index = json::parse(tagged.out);
    ASSERT_EQ(index["manifests"].size(), 1u) << tagged.out;
    EXPECT_EQ(index["manifests"][0]["artifactType"], "application/spdx+json");
    std::string artifact_digest = index["manifests"][0]["digest"];
    auto artifact = testing::Run({"skopeo", "inspect", "--raw", "--tls-verify=false",
                                  "docker://" + repo + "@" + artifact_digest});
    ASSERT_EQ(artifact.exit_code, 0) << artifact.err;
    json manifest = json::parse(artifact.out);
    EXPECT_EQ(manifest["subject"]["digest"], "sha256:" + image_hex);
    EXPECT_EQ(manifest["config"]["mediaType"], "application/vnd.oci.empty.v1+json");
    std::string layer = manifest["layers"][0]["digest"];
    auto blob = testing::Run(
        {"curl", "-sSf", registry.base_url() + "/v2/pickme/" + name + "/blobs/" + layer});
    ASSERT_EQ(blob.exit_code, 0) << blob.err;
    json sbom = json::parse(blob.out);
    EXPECT_EQ(sbom["spdxVersion"], "SPDX-2.3");
    EXPECT_EQ(sbom["packages"][0]["versionInfo"], "sha256:" + image_hex);
    std::set<std::string> names;
    for (const auto& p : sbom["packages"]) names.insert(p["name"]);
    EXPECT_TRUE(names.count("tzdata") && names.count("zlib1g")) << blob.out;
    std::set<std::string> files;
    for (const auto& f : sbom.value("files", json::array())) files.insert(f["fileName"]);
    EXPECT_FALSE(files.count("./usr/lib/libz.so.1"));  // zlib1g owns it
    EXPECT_EQ(files.count("./app/server.py"), name == "sbom-api" ? 1u : 0u);
  }

  // The store has it attached: `plinth sbom` returns it without computing one.
  auto attached =
      RunPlinth({"--store", dir / "store", "sbom",
                 registry.host() + "/pickme/sbom-api:latest-amd64", "--platform", "linux/amd64"},
                {}, dir / "fleet");
  ASSERT_EQ(attached.exit_code, 0) << attached.err;
  EXPECT_THAT(attached.err, HasSubstr("the SBOM attached to"));
  EXPECT_EQ(json::parse(attached.out)["spdxVersion"], "SPDX-2.3");
  // Another format is not attached: computed.
  auto other = RunPlinth(
      {"--store", dir / "store", "sbom", registry.host() + "/pickme/sbom-api:latest-amd64",
       "--platform", "linux/amd64", "--format", "cyclonedx-json"},
      {}, dir / "fleet");
  ASSERT_EQ(other.exit_code, 0) << other.err;
  EXPECT_THAT(other.err, HasSubstr("computed"));
  // gc keeps it while the image is tagged.
  auto gc = RunPlinth({"--store", dir / "store", "store", "gc"}, {}, dir / "fleet");
  ASSERT_EQ(gc.exit_code, 0) << gc.err;
  auto after =
      RunPlinth({"--store", dir / "store", "sbom",
                 registry.host() + "/pickme/sbom-api:latest-amd64", "--platform", "linux/amd64"},
                {}, dir / "fleet");
  EXPECT_THAT(after.err, HasSubstr("the SBOM attached to"));
  auto verify = RunPlinth({"--store", dir / "store", "store", "verify"}, {}, dir / "fleet");
  EXPECT_EQ(verify.exit_code, 0) << verify.out << verify.err;

  // `plinth push` takes the SBOM along to another repository too.
  auto pushed = RunPlinth({"--store", dir / "store", "push", "--insecure",
                           registry.host() + "/pickme/sbom-api:latest-amd64",
                           registry.host() + "/copies/api:1"});
  ASSERT_EQ(pushed.exit_code, 0) << pushed.out << pushed.err;
  auto copied = testing::Run(
      {"skopeo", "inspect", "--raw", "--tls-verify=false",
       "docker://" + registry.host() + "/copies/api:sha256-" + image_hex_of["sbom-api"]});
  ASSERT_EQ(copied.exit_code, 0) << copied.err;
  EXPECT_EQ(json::parse(copied.out)["manifests"][0]["artifactType"], "application/spdx+json");

  // `plinth sbom docker://REF` reads the attached SBOM from the registry, storing nothing.
  const std::string api = registry.host() + "/pickme/sbom-api:latest-amd64";
  auto remote = RunPlinth({"--store", dir / "other", "sbom", "docker://" + api, "--insecure",
                           "--platform", "linux/amd64"});
  ASSERT_EQ(remote.exit_code, 0) << remote.err;
  EXPECT_THAT(remote.err, HasSubstr("in its registry"));
  EXPECT_EQ(json::parse(remote.out)["packages"][0]["versionInfo"],
            "sha256:" + image_hex_of["sbom-api"]);
  EXPECT_FALSE(PathExists(dir / "other"));
  // An image copied without its referrers: pulled (verified) and computed.
  auto copy = testing::Run({"skopeo", "copy", "--src-tls-verify=false", "--dest-tls-verify=false",
                            "docker://" + api, "docker://" + registry.host() + "/plain/api:1"});
  ASSERT_EQ(copy.exit_code, 0) << copy.err;
  auto computed =
      RunPlinth({"--store", dir / "other", "sbom", "docker://" + registry.host() + "/plain/api:1",
                 "--insecure", "--platform", "linux/amd64", "--format", "cyclonedx-json"});
  ASSERT_EQ(computed.exit_code, 0) << computed.err;
  EXPECT_THAT(computed.err, HasSubstr("pulled it"));
  EXPECT_THAT(computed.err, HasSubstr("computed from the package records"));
  EXPECT_EQ(
      CycloneDxPackages(json::parse(computed.out)),
      PackageSet({{"tzdata", "2024a-0+deb12u1", "all"}, {"zlib1g", "1:1.2.13.dfsg-1", "amd64"}}));
}

TEST(SbomCliTest, BadInputExitsTwo) {
  testing::ScratchDir dir;
  auto format = RunPlinth({"--store", dir / "store", "sbom", "x:1", "--format", "spdx-xml"});
  EXPECT_EQ(format.exit_code, 2);
  EXPECT_THAT(format.err, HasSubstr("spdx-json, cyclonedx-json"));
  auto missing = RunPlinth({"--store", dir / "store", "sbom", "nothing:1"});
  EXPECT_EQ(missing.exit_code, 2) << missing.err;
  auto archive = RunPlinth({"--store", dir / "store", "sbom", "oci-archive:" + (dir / "x.tar")});
  EXPECT_EQ(archive.exit_code, 2);
  EXPECT_THAT(archive.err, HasSubstr("plinth copy"));
  auto layout = RunPlinth({"sbom", "oci:" + (dir / "no-such-layout")});
  EXPECT_EQ(layout.exit_code, 2) << layout.err;
}

}  // namespace
}  // namespace plinth
