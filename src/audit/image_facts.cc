#include "audit/image_facts.h"

#include <cstring>

#include "audit/secret_patterns.h"
#include "audit/tool_signatures.h"

namespace plinth::audit {
namespace {

// Paths whose whole content a rule reads.
bool IsSmallFileOfInterest(const std::string& path) {
  return path == "etc/passwd" || path == "etc/group" || path == "etc/shadow" ||
         path == "etc/ld.so.conf" ||
         (path.starts_with("etc/ld.so.conf.d/") && path.ends_with(".conf"));
}

class FactsCollector : public MergedFileVisitor {
 public:
  explicit FactsCollector(ImageFacts& facts) : facts_(facts), buffer_(64 << 10) {}

  Status OnFile(const ImageFile& file, ByteSource* content) override {
    const layer::TarEntry& e = file.entry;
    FileFacts f{.type = e.type,
                .mode = e.mode,
                .uid = e.uid,
                .gid = e.gid,
                .size = e.size,
                .link_target = e.link_target,
                .layer = file.layer};
    if (e.type == layer::EntryType::kHardLink) {
      // The target comes earlier in the same layer: share what its content showed.
      auto it = facts_.files.find(e.link_target);
      if (it != facts_.files.end() && it->second.layer == file.layer &&
          it->second.type == layer::EntryType::kRegular) {
        f.elf = it->second.elf;
        f.shebang = it->second.shebang;
        f.tools = it->second.tools;
        f.size = it->second.size;
        f.mode = it->second.mode;
      } else {
        f.content_known = false;
      }
    }
    if (content) PLINTH_CHECK(ReadContent(e, *content, f));
    facts_.files[e.name] = std::move(f);
    return Ok{};
  }

 private:
  Status ReadContent(const layer::TarEntry& e, ByteSource& content, FileFacts& f) {
    bool small = IsSmallFileOfInterest(e.name) && e.size <= kMaxSmallFile;
    bool executable = (e.mode & 0111) != 0;
    ElfScanner elf;
    SignatureMatcher signatures;
    std::string text;  // whole content of a small non-ELF file
    bool keep_text = e.size <= std::max(kMaxSmallFile, kMaxScannedFile);
    bool decided = false, is_elf = false;
    constexpr size_t kHead = 4096;  // enough for an interpreter line and a script's imports
    for (;;) {
      PLINTH_TRY(size_t n, content.Read(buffer_.data(), buffer_.size()));
      if (n == 0) break;
      const char* data = buffer_.data();
      if (!decided || is_elf) elf.Feed(data, n);
      if (!decided && elf.Decided()) {
        decided = true;
        is_elf = elf.IsElf();
      }
      if (is_elf && executable) signatures.Feed(data, n);
      if (!is_elf) {
        if (keep_text)
          text.append(data, n);
        else if (text.size() < kHead)
          text.append(data, std::min(n, kHead - text.size()));
        // A large file that is not ELF: its head (the interpreter line) is all that counts.
        if (decided && !keep_text && text.size() >= kHead) break;
      }
    }
    if (!decided) is_elf = false;
    if (is_elf) {
      f.elf = elf.Finish();
      const auto& all = ExecutableSignatures();
      for (size_t i = 0; i < all.size(); ++i)
        if (signatures.found() & (uint64_t{1} << i)) AddTool(f, std::string(all[i].tool));
      return Ok{};
    }
    f.shebang = Shebang(std::string_view(text).substr(0, kHead));
    if (!f.shebang.empty())
      for (const ScriptTool& t : ScriptTools(std::string_view(text).substr(0, kHead)))
        AddTool(f, t.tool);
    if (keep_text && e.size <= kMaxScannedFile)
      for (auto& hit : FindSecrets(text)) facts_.secrets.push_back({e.name, hit.kind, hit.line});
    if (small) facts_.small_files[e.name] = std::move(text);
    return Ok{};
  }

  static void AddTool(FileFacts& f, std::string tool) {
    for (const auto& t : f.tools)
      if (t == tool) return;
    f.tools.push_back(std::move(tool));
  }

  ImageFacts& facts_;
  std::vector<char> buffer_;
};

}  // namespace

Result<ImageFacts> CollectImageFacts(const oci::LayoutStore& store, const oci::Image& image) {
  ImageFacts facts;
  FactsCollector collector(facts);
  PLINTH_TRY(facts.figures, WalkMergedFilesystem(store, image, collector));
  return facts;
}

}  // namespace plinth::audit
