// ParallelGzipWriter: a ByteSink that gzips what it is given on worker threads, pigz-style,
// and writes the result to `out`, in order.
//
// The input is cut into fixed 1 MiB chunks (by byte count, never by Write() boundaries), and
// each chunk becomes one gzip member, compressed by libdeflate on its own: the output is a
// multi-member gzip file (RFC 1952 2.2; gzip -d, Go's compress/gzip, libarchive, zlib's
// gzread and plinth's reader all read it whole), and its bytes depend only on the input and
// the level, not on timing, thread count or the process. ISA-L, used before, does not give
// that: measured on this project's machines, about one process in 5,000 deflated the same
// input at level 1 or 2 into other (valid) bytes, so a clean build could publish another layer
// digest than a cached one. A chunk whose sampled bytes look random (already compressed data,
// keys, media) is stored (libdeflate level 0): deflating it would cost as much CPU as text and
// save nothing.
//
// The work is a pipeline over a fixed ring of chunk slots, so memory stays flat (~16 MiB)
// whatever the stream's size, and every stage runs beside the others on separate cores:
//   caller    fills the chunks (Write)
//   scanner   in order: `observer` (LayerStream hashes the uncompressed tar there)
//   workers   any order: compress each chunk into a gzip member
//   emitter   in order: writes each member to `out`
// So `out` and `observer` are called on other threads than the caller's (never concurrently
// with themselves); the caller must leave them alone until Finish() returns.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "util/byte_stream.h"

namespace plinth::layer {

class ParallelGzipWriter : public ByteSink {
 public:
  static constexpr size_t kChunkSize = 1 << 20;

  // Sees the uncompressed bytes, in order, once each.
  using Observer = std::function<void(const uint8_t* data, size_t size)>;

  // `level` is a libdeflate level, 1 to 12 (1: about gzip -3's ratio at several times gzip -1's
  // speed); `threads` (compressing workers) <= 0 means one per core.
  ParallelGzipWriter(ByteSink& out, int level = 1, int threads = 0, Observer observer = nullptr);
  ~ParallelGzipWriter() override;
  ParallelGzipWriter(const ParallelGzipWriter&) = delete;
  ParallelGzipWriter& operator=(const ParallelGzipWriter&) = delete;

  using ByteSink::Write;
  Status Write(const void* data, size_t size) override;
  // Reads up to `max` bytes from `fd` straight into the chunk being filled (one read(), no
  // copy through another buffer); returns how many, 0 at end of file. `path` names the file
  // in errors.
  Result<size_t> ReadFrom(int fd, size_t max, const std::string& path);
  // Compresses what is buffered, writes the last member and stops the threads.
  Status Finish();

 private:
  struct Slot;
  Slot& SlotOf(uint64_t seq) { return *slots_[seq % slots_.size()]; }
  // Waits until slot `filling_` may be refilled.
  Status Acquire();
  void Submit(bool last);
  void ScannerLoop();
  void WorkerLoop();
  void EmitterLoop();
  struct Compressors;  // a worker's libdeflate compressors
  void Compress(Compressors& compressors, Slot& slot) const;
  void StopThreads();

  ByteSink& out_;
  int level_;
  Observer observer_;
  std::vector<std::unique_ptr<Slot>> slots_;
  void* arena_ = nullptr;  // the slots' input buffers, in one block the kernel may back with huge pages

  // Caller side.
  uint64_t filling_ = 0;  // sequence number of the chunk being filled
  bool acquired_ = false;
  size_t fill_ = 0;  // bytes in that chunk
  bool finished_ = false;

  std::mutex mu_;
  std::condition_variable scan_cv_;        // the scanner waits for a chunk
  std::condition_variable work_cv_;        // workers wait for a chunk (one is woken per chunk)
  std::condition_variable compressed_cv_;  // the emitter waits for the next chunk's output
  std::condition_variable released_cv_;    // the caller waits for a free slot
  uint64_t submitted_ = 0;      // chunks handed to the pipeline
  uint64_t next_compress_ = 0;  // next chunk a worker takes
  uint64_t scanned_ = 0;
  uint64_t emitted_ = 0;
  bool stopping_ = false;
  Status failure_;  // the first failure of a worker or of `out`

  std::vector<std::thread> threads_;
};

}  // namespace plinth::layer
