// How audit results are printed, in the shapes lint uses for Dockerfile findings:
//
//   text:  IMAGE:/PATH: SEVERITY [CODE] MESSAGE (hint: HINT), then one summary line per image
//          (files, bytes, layers, compressed size, wasted bytes, counts);
//   json:  {"images": [{image, platform, files, layers, file_bytes, wasted_bytes,
//          compressed_bytes, suppressed, findings: [{image, path, severity, code, slug,
//          aliases, message, hint}]}]};
//   sarif: SARIF 2.1.0, one run, tool "plinth" with every audit rule's metadata (dockle codes
//          as deprecatedIds, as lint lists hadolint's), one result per finding with the path
//          inside the image as its artifact and the image as its logical location. Tests
//          validate it against the official schema.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "audit/image_auditor.h"

namespace plinth::audit {

enum class AuditFormat { kText, kJson, kSarif };

std::optional<AuditFormat> ParseAuditFormat(std::string_view name);
std::string FormatAuditText(const std::vector<AuditResult>& results);
std::string FormatAuditJson(const std::vector<AuditResult>& results);
std::string FormatAuditSarif(const std::vector<AuditResult>& results);
std::string FormatAudit(AuditFormat format, const std::vector<AuditResult>& results);

// The human-readable size ("12.3 MB"), as messages print it.
std::string HumanBytes(uint64_t bytes);

}  // namespace plinth::audit
