#include "registry/image_location.h"

namespace plinth::registry {
namespace {

// "path[:name]": the name is what follows the last ':' after the last '/'.
void SplitPathAndName(std::string_view rest, ImageLocation& out) {
  auto slash = rest.rfind('/');
  auto colon = rest.find(':', slash == std::string_view::npos ? 0 : slash);
  out.path = std::string(rest.substr(0, colon));
  if (colon != std::string_view::npos) out.name = std::string(rest.substr(colon + 1));
}

}  // namespace

Result<ImageLocation> ImageLocation::Parse(std::string_view text) {
  ImageLocation out;
  if (text.starts_with("store:")) {
    out.kind = LocationKind::kStore;
    out.name = std::string(text.substr(6));
    if (out.name.empty()) return InvalidInput("'store:' needs an image name, e.g. store:redis:7");
    return out;
  }
  if (text.starts_with("oci:") || text.starts_with("oci-archive:")) {
    bool archive = text.starts_with("oci-archive:");
    out.kind = archive ? LocationKind::kArchive : LocationKind::kLayout;
    SplitPathAndName(text.substr(archive ? 12 : 4), out);
    if (out.path.empty())
      return InvalidInput("'" + std::string(text) + "' needs a path, e.g. oci-archive:out.tar");
    return out;
  }
  if (text.starts_with("docker://")) text.remove_prefix(9);
  auto ref = oci::Reference::Parse(text);
  if (!ref)
    return InvalidInput("'" + std::string(text) + "' is not an image reference or location (" +
                        ref.error().message() + ")");
  out.reference = *ref;
  return out;
}

std::string ImageLocation::str() const {
  switch (kind) {
    case LocationKind::kRegistry: return reference.str();
    case LocationKind::kStore: return "store:" + name;
    case LocationKind::kLayout: return "oci:" + path + (name.empty() ? "" : ":" + name);
    case LocationKind::kArchive: return "oci-archive:" + path + (name.empty() ? "" : ":" + name);
  }
  return "";
}

}  // namespace plinth::registry
