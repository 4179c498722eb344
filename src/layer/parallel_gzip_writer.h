// ParallelGzipWriter: a ByteSink that gzips what it is given on worker threads, pigz-style,
// and writes one standard single-member gzip stream to `out`, in order.
//
// The input is cut into fixed 1 MiB chunks (by byte count, never by Write() boundaries, so the
// output depends only on the input bytes and the level, not on timing or thread count). Each
// chunk is raw-deflated by ISA-L with the previous chunk's last 32 KiB as its dictionary and ends
// with a sync flush; the last one ends the deflate stream. The CRC-32 and size go in the trailer.
// At most a few chunks are in flight, so memory stays flat whatever the stream's size. Writes to
// `out` happen on the calling thread only (during Write() and Finish()).
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "util/byte_stream.h"

namespace plinth::layer {

class ParallelGzipWriter : public ByteSink {
 public:
  static constexpr size_t kChunkSize = 1 << 20;
  static constexpr size_t kDictSize = 32 << 10;

  // `level` is an ISA-L level, 0 to 3 (1 and 2 give about gzip -1 to -3 ratios at 10x the speed);
  // `threads` <= 0 means one per core.
  ParallelGzipWriter(ByteSink& out, int level = 1, int threads = 0);
  ~ParallelGzipWriter() override;
  ParallelGzipWriter(const ParallelGzipWriter&) = delete;
  ParallelGzipWriter& operator=(const ParallelGzipWriter&) = delete;

  using ByteSink::Write;
  Status Write(const void* data, size_t size) override;
  // Compresses what is buffered, writes the trailer and stops the workers.
  Status Finish();

 private:
  struct Job;
  Status Submit(bool last);
  // Writes finished chunks at the head of the queue; with `wait`, blocks for the head first.
  Status Emit(bool wait);
  void WorkerLoop();
  // Raw-deflates one chunk into its output buffer (on a worker thread).
  static void Compress(int level, std::vector<uint8_t>& level_buf, Job* job);
  void StopWorkers();

  ByteSink& out_;
  int level_;
  std::vector<uint8_t> buffer_;  // the chunk being filled
  std::vector<uint8_t> dict_;    // the last kDictSize bytes of the previous chunk
  uint32_t crc_ = 0;
  uint64_t total_in_ = 0;
  bool header_written_ = false;
  bool finished_ = false;
  size_t max_in_flight_;

  std::mutex mu_;
  std::condition_variable work_cv_;  // workers wait for jobs
  std::condition_variable done_cv_;  // the caller waits for the head job
  std::deque<std::shared_ptr<Job>> queue_;      // not yet taken by a worker
  std::deque<std::shared_ptr<Job>> in_flight_;  // submitted, not yet emitted, in order
  std::vector<std::vector<uint8_t>> spare_;     // recycled buffers
  bool stopping_ = false;
  std::vector<std::thread> workers_;
};

}  // namespace plinth::layer
