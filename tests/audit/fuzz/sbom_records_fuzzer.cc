// libFuzzer target for what an SBOM reads from an image: any bytes as a dpkg status file or
// status.d record, as a .list and an .md5sums file list, as a DEP-5 copyright file and as an
// os-release; whatever parses becomes an SbomDocument written as SPDX and CycloneDX JSON, which
// must parse back as JSON whatever bytes the names held. Nothing may crash, throw, leak or hit
// undefined behaviour; errors are fine.
#include <cstddef>
#include <cstdint>
#include <set>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "audit/cyclonedx_writer.h"
#include "audit/dep5_copyright.h"
#include "audit/dpkg_records.h"
#include "audit/sbom_document.h"
#include "audit/spdx_writer.h"

using namespace plinth;
using namespace plinth::audit;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  SbomDocument document;
  document.manifest_digest = "sha256:" + std::string(64, '0');
  document.created = SbomTimestamp(input.substr(0, 40));
  document.distro = DistroFromOsRelease(input);
  document.tool_version = "fuzz";
  if (auto packages = ParseDpkgRecords(input, "var/lib/dpkg/status")) {
    document.packages = std::move(*packages);
    if (auto licenses = Dep5Licenses(input))
      for (auto& p : document.packages) p.licenses = *licenses;
  }
  std::set<std::string> owned;
  (void)AddOwnedPaths(input, false, "var/lib/dpkg/info/x.list", &owned);
  (void)AddOwnedPaths(input, true, "var/lib/dpkg/status.d/x.md5sums", &owned);
  for (const auto& path : owned) {
    if (!IsOwned(owned, path)) __builtin_trap();  // a listed path is owned
    if (document.unowned_files.size() < 16)
      document.unowned_files.push_back({.path = path, .size = 1, .sha256 = std::string(64, 'a')});
  }
  for (const std::string& text : {WriteSpdxJson(document), WriteCycloneDxJson(document)})
    if (nlohmann::json::parse(text, nullptr, false).is_discarded()) __builtin_trap();
  return 0;
}
