// Dep5Copyright: the licences a Debian package declares in its machine-readable copyright file
// (/usr/share/doc/PKG/copyright in the DEP-5 format, "copyright-format/1.0"), as SPDX
// identifiers. The file comes from an image (hostile): it is bounded by the caller, and a file
// that is not DEP-5 or does not parse yields no licences (unknown), never an error.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace plinth::audit {

// The largest copyright file read; real ones are < 200 KiB (glibc's is ~60 KiB).
inline constexpr size_t kMaxCopyrightFile = 1u << 20;

// The SPDX ids of the `License:` short names of the file's Files paragraphs, sorted, without
// duplicates; nullopt when the text is not a DEP-5 file.
std::optional<std::vector<std::string>> Dep5Licenses(std::string_view text);

// One Debian short licence name as an SPDX id: the common names mapped ("GPL-2+" →
// "GPL-2.0-or-later", "Expat" → "MIT", …), SPDX ids kept, anything else
// "LicenseRef-<name>" with the characters SPDX refuses replaced by '-'.
std::string SpdxLicenseId(std::string_view debian_name);

// Whether `id` is a LicenseRef (not on SPDX's list).
bool IsLicenseRef(std::string_view id);

}  // namespace plinth::audit
