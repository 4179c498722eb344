// `plinth image build`: append layers and config to a base (from the store, or scratch) and
// name the result, as `crane append` / `crane mutate` do, with no daemon.
//
// Everything the user gave is checked (reference, platform, sources, destinations) before the
// first blob is written, so bad input leaves the store unchanged.
#include <iostream>

#include "cli/command.h"
#include "cli/format.h"
#include "cli/image_commands.h"
#include "layer/layer_builder.h"
#include "oci/image.h"
#include "oci/media_types.h"
#include "util/fs.h"
#include "util/safe_path.h"

namespace plinth::cli {
namespace {

struct BuildArgs {
  std::string from = "scratch";
  std::vector<std::string> adds;
  std::string user, workdir, entrypoint, cmd, platform, owner, compression = "gzip";
  std::vector<std::string> envs, labels, exposes, tags;
  int64_t timestamp = -1;
};

// "--entrypoint '[\"/app\",\"serve\"]'" (JSON) or "--entrypoint '/app serve'" (split on spaces).
Result<std::vector<std::string>> ParseCommand(const std::string& flag, const std::string& text) {
  if (!text.empty() && text[0] == '[') {
    auto j = nlohmann::json::parse(text, nullptr, false);
    if (j.is_discarded() || !j.is_array())
      return InvalidInput(flag + " '" + text + "' is not a JSON array of strings");
    std::vector<std::string> out;
    for (const auto& v : j) {
      if (!v.is_string()) return InvalidInput(flag + " '" + text + "' is not a JSON array of strings");
      out.push_back(v.get<std::string>());
    }
    return out;
  }
  std::vector<std::string> out;
  size_t i = 0;
  while (i < text.size()) {
    size_t j = text.find(' ', i);
    if (j == std::string::npos) j = text.size();
    if (j > i) out.push_back(text.substr(i, j - i));
    i = j + 1;
  }
  return out;
}

Result<std::pair<std::string, std::string>> SplitKeyValue(const std::string& flag,
                                                          const std::string& text) {
  size_t eq = text.find('=');
  if (eq == std::string::npos || eq == 0)
    return InvalidInput(flag + " '" + text + "' must be KEY=VALUE");
  return std::pair(text.substr(0, eq), text.substr(eq + 1));
}

// SRC[:DEST]. A directory's contents land under DEST (default /); a file lands at DEST
// (default /<its name>).
Result<layer::AddSpec> ParseAdd(const std::string& text) {
  std::string src = text, dest;
  size_t colon = text.rfind(':');
  if (colon != std::string::npos) {
    src = text.substr(0, colon);
    dest = text.substr(colon + 1);
  }
  if (src.empty()) return InvalidInput("--add '" + text + "' has no source path");
  if (dest.empty()) {
    size_t slash = src.find_last_not_of('/');
    std::string trimmed = src.substr(0, slash + 1);
    dest = IsDirectory(src) ? "/" : "/" + trimmed.substr(trimmed.rfind('/') + 1);
  }
  if (dest[0] != '/') dest = "/" + dest;
  auto inside = RelativeInsideRoot(dest);
  if (!inside)
    return InvalidInput("--add '" + text + "': destination '" + dest +
                        "' is outside the image root; use a path such as /app");
  return layer::AddSpec{src, dest};
}

Result<oci::Image> ApplyConfig(oci::Image image, const BuildArgs& args, const std::string& when) {
  auto& c = image.config.config;
  auto note = [&](const std::string& what) {
    image = oci::AppendEmptyHistory(std::move(image), {.created = when, .created_by = what});
  };
  for (const auto& e : args.envs) {
    PLINTH_TRY(auto kv, SplitKeyValue("--env", e));
    c.SetEnv(kv.first, kv.second);
    note("ENV " + e);
  }
  for (const auto& l : args.labels) {
    PLINTH_TRY(auto kv, SplitKeyValue("--label", l));
    c.labels[kv.first] = kv.second;
    note("LABEL " + l);
  }
  for (const auto& p : args.exposes) {
    std::string port = p.find('/') == std::string::npos ? p + "/tcp" : p;
    if (port.find_first_not_of("0123456789") != port.find('/') || port[0] == '/')
      return InvalidInput("--expose '" + p + "' must be PORT[/tcp|/udp]");
    if (std::find(c.exposed_ports.begin(), c.exposed_ports.end(), port) == c.exposed_ports.end())
      c.exposed_ports.push_back(port);
    note("EXPOSE " + port);
  }
  if (!args.user.empty()) c.user = args.user, note("USER " + args.user);
  if (!args.workdir.empty()) c.working_dir = args.workdir, note("WORKDIR " + args.workdir);
  if (!args.entrypoint.empty()) {
    PLINTH_TRY(c.entrypoint, ParseCommand("--entrypoint", args.entrypoint));
    note("ENTRYPOINT " + nlohmann::json(*c.entrypoint).dump());
  }
  if (!args.cmd.empty()) {
    PLINTH_TRY(c.cmd, ParseCommand("--cmd", args.cmd));
    note("CMD " + nlohmann::json(*c.cmd).dump());
  }
  return image;
}

Result<std::string> Build(const GlobalOptions& global, const BuildArgs& args) {
  // Check everything before writing anything.
  std::vector<oci::Reference> tags;
  for (const auto& t : args.tags) {
    PLINTH_TRY(oci::Reference ref, oci::Reference::Parse(t));
    tags.push_back(ref);
  }
  if (tags.empty()) return InvalidInput("no -t NAME:TAG given: name the image to build");
  std::vector<layer::AddSpec> adds;
  for (const auto& a : args.adds) {
    PLINTH_TRY(layer::AddSpec spec, ParseAdd(a));
    adds.push_back(spec);
  }
  std::optional<layer::Owner> owner;
  if (!args.owner.empty()) {
    auto parsed = layer::ParseOwner(args.owner);
    if (!parsed) return InvalidInput("--owner '" + args.owner + "': " + parsed.error().message());
    owner = *parsed;
  }
  PLINTH_TRY(int64_t timestamp, oci::BuildTimestamp(args.timestamp));
  layer::Compression compression = layer::Compression::kGzip;
  if (args.compression == "zstd") compression = layer::Compression::kZstd;
  else if (args.compression != "gzip")
    return InvalidInput("--compression '" + args.compression + "': use gzip or zstd");
  std::optional<oci::Platform> platform;
  if (!args.platform.empty()) {
    PLINTH_TRY(oci::Platform p, oci::Platform::Parse(args.platform));
    platform = p;
  }
  std::string when = oci::FormatTimestamp(timestamp);

  // Collect every source first: a missing or unreadable file fails here, before any blob.
  layer::LayerOptions layer_options{.compression = compression, .timestamp = timestamp,
                                    .owner = owner};
  std::vector<layer::LayerBuilder> builders;
  for (const auto& spec : adds) {
    layer::LayerBuilder builder(layer_options);
    auto added = builder.Add(spec);
    if (!added) return added.error().Context("adding " + spec.source);
    builders.push_back(std::move(builder));
  }

  PLINTH_TRY(oci::LayoutStore store, global.OpenStoreForWriting());
  PLINTH_TRY(FileLock writer_lock, store.WriterLock());
  oci::Image image;
  if (args.from == "scratch") {
    image = oci::ScratchImage(platform.value_or(oci::Platform::Host()), timestamp);
  } else {
    PLINTH_TRY(oci::Reference base_ref, oci::Reference::Parse(args.from));
    oci::Descriptor base_manifest;
    PLINTH_TRY(image, oci::ReadImage(store, args.from, platform.value_or(oci::Platform::Host()),
                                     &base_manifest));
    image.config.created = when;
    image.annotations.clear();
    image.annotations[oci::kBaseNameAnnotation] = base_ref.Familiar();
    image.annotations[oci::kBaseDigestAnnotation] = base_manifest.digest.str();
  }

  for (size_t i = 0; i < builders.size(); ++i) {
    // The layer stream hashes the blob as it writes it; the store need not hash it again.
    PLINTH_TRY(oci::BlobWriter blob, store.NewBlobHashedByCaller());
    auto info = builders[i].Build(blob);
    if (!info) return info.error().Context("writing the layer of " + adds[i].source);
    PLINTH_TRY(oci::Descriptor layer, blob.Commit(info->media_type, info->digest));
    image = oci::AppendLayer(std::move(image), layer, info->diff_id,
                             {.created = when,
                              // As docker's classic builder words it; no host path, so the
                              // same tree built from another folder gives the same image.
                              .created_by = std::string("COPY ") +
                                            (IsDirectory(adds[i].source) ? "dir:" : "file:") +
                                            info->diff_id.hex() + " in " + adds[i].dest});
  }
  PLINTH_TRY(image, ApplyConfig(std::move(image), args, when));
  PLINTH_TRY(oci::Descriptor manifest, oci::WriteImage(store, image));
  for (const auto& ref : tags) PLINTH_CHECK(store.Tag(ref.Familiar(), manifest));
  return manifest.digest.str();
}

}  // namespace

void SetupImageBuild(CLI::App& image, GlobalOptions& global) {
  auto* cmd = image.add_subcommand("build", "Append layers and config to a base image");
  auto args = std::make_shared<BuildArgs>();
  cmd->add_option("--from", args->from, "base image in the store, or scratch");
  cmd->add_option("--add", args->adds, "SRC[:DEST] file or folder to add as a layer (repeatable)");
  cmd->add_option("--user", args->user, "runtime user, e.g. 65532 or nonroot");
  cmd->add_option("--entrypoint", args->entrypoint, "JSON array or space-separated words");
  cmd->add_option("--cmd", args->cmd, "JSON array or space-separated words");
  cmd->add_option("--env", args->envs, "K=V (repeatable)");
  cmd->add_option("--workdir", args->workdir, "working directory");
  cmd->add_option("--label", args->labels, "K=V (repeatable)");
  cmd->add_option("--expose", args->exposes, "PORT[/tcp|/udp] (repeatable)");
  cmd->add_option("--platform", args->platform, "os/arch (default: the base's, else this machine's)");
  cmd->add_option("--owner", args->owner, "UID[:GID] for every added file (default 0:0)");
  cmd->add_option("--timestamp", args->timestamp, "file and config time (default SOURCE_DATE_EPOCH or 0)");
  cmd->add_option("--compression", args->compression, "gzip (default) or zstd");
  cmd->add_option("-t,--tag", args->tags, "NAME:TAG to store the image as (repeatable)")->required();
  cmd->callback([&global, args] {
    auto digest = Build(global, *args);
    if (!digest) {
      global.exit_code = ReportError(digest.error());
      return;
    }
    for (const auto& t : args->tags) std::cout << t << " ";
    std::cout << *digest << "\n";
  });
}

}  // namespace plinth::cli
