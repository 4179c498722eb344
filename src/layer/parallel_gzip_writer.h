// ParallelGzipWriter: a ByteSink that gzips what it is given on worker threads, pigz-style,
// and writes one standard single-member gzip stream to `out`, in order.
//
// The input is cut into fixed 1 MiB chunks (by byte count, never by Write() boundaries, so the
// output depends only on the input bytes and the level, not on timing or thread count). Each
// chunk is raw-deflated by ISA-L with the previous chunk's last 32 KiB as its dictionary and ends
// with a sync flush; the last one ends the deflate stream. A chunk whose sampled bytes look
// random (already compressed data, keys, media) is written as stored blocks instead: deflating
// it would cost as much CPU as text and save nothing.
//
// The work is a pipeline over a fixed ring of chunk slots, so memory stays flat (~16 MiB)
// whatever the stream's size, and every stage runs beside the others on separate cores:
//   caller    fills the chunks (Write)
//   scanner   in order: the CRC-32 for the trailer, and `observer` (LayerStream hashes the
//             uncompressed tar there)
//   workers   any order: deflate each chunk
//   emitter   in order: writes each chunk's deflate output to `out`
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
  static constexpr size_t kDictSize = 32 << 10;

  // Sees the uncompressed bytes, in order, once each.
  using Observer = std::function<void(const uint8_t* data, size_t size)>;

  // `level` is an ISA-L level, 0 to 3 (1 and 2 give about gzip -1 to -3 ratios at 10x the speed);
  // `threads` (deflate workers) <= 0 means one per core.
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
  // Compresses what is buffered, writes the trailer and stops the threads.
  Status Finish();

 private:
  struct Slot;
  Slot& SlotOf(uint64_t seq) { return *slots_[seq % slots_.size()]; }
  // Waits until slot `filling_` may be refilled, and gives it its dictionary.
  Status Acquire();
  void Submit(bool last);
  void ScannerLoop();
  void WorkerLoop();
  void EmitterLoop();
  void Compress(std::vector<uint8_t>& level_buf, Slot& slot) const;
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

  // Scanner side (read by the caller after the threads stopped).
  uint32_t crc_ = 0;
  uint64_t total_in_ = 0;

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
