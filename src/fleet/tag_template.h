// TagTemplate: how a target's image name is spelled per platform. A template is text with
// placeholders in braces:
//
//   template    := (literal | placeholder)*
//   placeholder := "{" ("registry" | "namespace" | "name" | "os" | "arch" | "variant"
//                       | "platform" | "tag") "}"
//
// `{arch}` is the OCI architecture (`arm64`, `amd64`), `{platform}` is `linux-arm64` (a `/`
// cannot appear in a tag). The default, `{namespace}/lucid-{name}:latest-{arch}`, yields
// `pickme/lucid-api-gateway:latest-arm64`; a base can spell its own,
// `{namespace}/lucid-base:python-distroless-{arch}`. `{tag}` is the tag of the upstream image a
// recipe stands in for, and only means something in `upstream.recipe_image`.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "util/result.h"

namespace plinth::fleet {

struct TemplateValues {
  std::string registry, name_space, name, os, arch, variant;
  std::string tag;
};

// Expands every placeholder; an unknown or unclosed placeholder is an error naming it.
Result<std::string> ExpandTemplate(std::string_view text, const TemplateValues& values);

// The placeholders a template uses, for validation ("arch" must appear when a fleet builds
// several platforms, or their images would collide).
Result<std::vector<std::string>> TemplatePlaceholders(std::string_view text);

// The template with its per-platform placeholders ({platform}, {arch}, {variant}) removed, each
// with one separator next to it: "{namespace}/x:latest-{arch}" → "{namespace}/x:latest",
// "{namespace}/x:{arch}" → "{namespace}/x" (the tag then defaults to latest).
std::string PlatformFreeTemplate(std::string_view text);

}  // namespace plinth::fleet
