// PackageSpool: one package's data.tar, decompressed and filtered, parked in a temp file until
// the assembler's turn comes. Decompressing (xz, mostly) is the expensive part of a base build,
// so workers do it in parallel into spools; the assembler then reads them in package order,
// which keeps the image's entry order fixed while memory stays flat.
//
//   spool  := record*
//   record := type:u8 mode:u32 uid:u32 gid:u32 mtime:i64 path_len:u16 path
//             link_len:u16 link size:u64 content[size]      ; little-endian, host order
#pragma once

#include <cstdio>
#include <string>

#include "debian/tar_entry.h"
#include "util/byte_stream.h"
#include "util/result.h"

namespace plinth::debian {

class SpoolWriter {
 public:
  static Result<SpoolWriter> Create(const std::string& path);
  SpoolWriter(SpoolWriter&& other) noexcept : file_(other.file_), path_(std::move(other.path_)) {
    other.file_ = nullptr;
  }
  ~SpoolWriter();

  // Writes the entry and copies exactly entry.size bytes from `content` (files only).
  // `head` receives the first bytes of the content (for the ELF check), up to head->capacity().
  Status Add(const TarEntry& entry, ByteSource* content, std::string* head = nullptr,
             std::string* whole = nullptr);
  Status Close();

 private:
  SpoolWriter(FILE* file, std::string path) : file_(file), path_(std::move(path)) {}
  FILE* file_;
  std::string path_;
};

class SpoolReader {
 public:
  static Result<SpoolReader> Open(const std::string& path);
  SpoolReader(SpoolReader&& other) noexcept
      : file_(other.file_), path_(std::move(other.path_)), left_(other.left_) {
    other.file_ = nullptr;
  }
  ~SpoolReader();

  // Reads the next entry; false at the end. After a file entry, `content()` yields its bytes
  // (unread bytes are skipped by the next call).
  Result<bool> Next(TarEntry* entry);
  ByteSource& content() { return source_; }

 private:
  class Content : public ByteSource {
   public:
    explicit Content(SpoolReader* r) : r_(r) {}
    Result<size_t> Read(void* data, size_t size) override;

   private:
    SpoolReader* r_;
  };
  SpoolReader(FILE* file, std::string path) : file_(file), path_(std::move(path)) {}
  FILE* file_;
  std::string path_;
  uint64_t left_ = 0;
  Content source_{this};
};

}  // namespace plinth::debian
