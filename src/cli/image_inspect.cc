// `plinth image inspect REF [--format text|json]`: what an image in the store is made of.
#include <iostream>

#include "cli/command.h"
#include "cli/format.h"
#include "cli/image_commands.h"
#include "oci/image.h"
#include "oci/media_types.h"

namespace plinth::cli {
namespace {

using nlohmann::json;

Result<json> DescribeManifest(const oci::LayoutStore& store, const oci::Descriptor& desc) {
  PLINTH_TRY(oci::Image image, oci::ReadImage(store, desc));
  json layers = json::array();
  int64_t size = 0;
  for (size_t i = 0; i < image.layers.size(); ++i) {
    const auto& l = image.layers[i];
    size += l.size;
    layers.push_back({{"digest", l.digest.str()},
                      {"diff_id", image.config.diff_ids[i].str()},
                      {"size", l.size},
                      {"mediaType", l.media_type}});
  }
  json config = json::parse(image.config.ToJsonString());
  return json{{"digest", desc.digest.str()},
              {"mediaType", desc.media_type},
              {"platform", image.config.platform.str()},
              {"created", image.config.created},
              {"config", config["config"]},
              {"history", config.value("history", json::array())},
              {"layers", layers},
              {"annotations", image.annotations},
              {"size", size}};
}

void PrintText(const json& j, const std::string& indent) {
  std::cout << indent << "Digest:     " << j["digest"].get<std::string>() << "\n"
            << indent << "Platform:   " << j["platform"].get<std::string>() << "\n"
            << indent << "Created:    " << j["created"].get<std::string>() << "\n";
  const json& c = j["config"];
  auto str = [&](const char* k) { return c.contains(k) ? c[k].dump() : std::string("-"); };
  std::cout << indent << "User:       " << (c.contains("User") ? c["User"].get<std::string>() : "-") << "\n"
            << indent << "Entrypoint: " << str("Entrypoint") << "\n"
            << indent << "Cmd:        " << str("Cmd") << "\n"
            << indent << "WorkingDir: " << (c.contains("WorkingDir") ? c["WorkingDir"].get<std::string>() : "-") << "\n"
            << indent << "Env:        " << str("Env") << "\n"
            << indent << "Ports:      " << str("ExposedPorts") << "\n"
            << indent << "Labels:     " << str("Labels") << "\n"
            << indent << "Layers:     " << j["layers"].size() << " ("
            << HumanBytes(j["size"].get<int64_t>()) << ")\n";
  for (const auto& l : j["layers"])
    std::cout << indent << "  " << l["digest"].get<std::string>() << "  "
              << HumanBytes(l["size"].get<int64_t>()) << "\n";
}

int Inspect(const GlobalOptions& global, const std::string& name, const std::string& format) {
  if (format != "text" && format != "json")
    return ReportError(InvalidInput("unknown --format '" + format + "': use text or json"));
  auto store = oci::LayoutStore::OpenExisting(global.StorePath());
  if (!store) return ReportError(store.error());
  auto root = store->Resolve(name);
  if (!root) return ReportError(root.error());
  json out;
  if (oci::IsIndexType(root->media_type)) {
    auto index = store->ReadIndex(root->digest);
    if (!index) return ReportError(index.error());
    json manifests = json::array();
    for (const auto& d : index->manifests) {
      auto m = DescribeManifest(*store, d);
      if (!m) return ReportError(m.error().Context("inspecting " + name));
      manifests.push_back(*m);
    }
    out = {{"name", name}, {"digest", root->digest.str()}, {"mediaType", root->media_type},
           {"manifests", manifests}};
  } else {
    auto m = DescribeManifest(*store, *root);
    if (!m) return ReportError(m.error().Context("inspecting " + name));
    out = *m;
    out["name"] = name;
  }
  if (format == "json") {
    std::cout << out.dump(2) << "\n";
    return 0;
  }
  std::cout << "Name:       " << name << "\n";
  if (out.contains("manifests")) {
    std::cout << "Index:      " << out["digest"].get<std::string>() << "\n";
    for (const auto& m : out["manifests"]) {
      std::cout << "- " << m["platform"].get<std::string>() << "\n";
      PrintText(m, "  ");
    }
  } else {
    PrintText(out, "");
  }
  return 0;
}

}  // namespace

void SetupImageInspect(CLI::App& image, GlobalOptions& global) {
  auto* cmd = image.add_subcommand("inspect", "Show an image's config, layers and platforms");
  auto name = std::make_shared<std::string>();
  auto format = std::make_shared<std::string>("text");
  cmd->add_option("REF", *name, "image name in the store")->required();
  AddFormatOption(cmd, format.get(), "text or json");
  cmd->callback([&global, name, format] { global.exit_code = Inspect(global, *name, *format); });
}

}  // namespace plinth::cli
