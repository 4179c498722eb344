#include "layer/parallel_gzip_writer.h"

#include <libdeflate.h>
#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <new>

namespace plinth::layer {

struct ParallelGzipWriter::Slot {
  uint8_t* in = nullptr;  // the chunk
  size_t size = 0;
  // Allocated by the worker that first deflates into it: its pages are touched (and, in a VM,
  // faulted in at some cost) off the caller's thread, and only as far as output reaches.
  std::unique_ptr<uint8_t[]> out;
  size_t out_capacity = 0;
  size_t out_size = 0;
  bool first = false;  // chunk 0
  bool last = false;
  bool compressed = false;
  std::string error;  // empty: fine

  const uint8_t* chunk() const { return in; }
  const uint8_t* output() const { return out.get(); }
};

struct ParallelGzipWriter::Compressors {
  explicit Compressors(int level)
      : deflate(libdeflate_alloc_compressor(level)), store(libdeflate_alloc_compressor(0)) {}
  ~Compressors() {
    libdeflate_free_compressor(deflate);
    libdeflate_free_compressor(store);
  }
  Compressors(const Compressors&) = delete;
  Compressors& operator=(const Compressors&) = delete;
  libdeflate_compressor* deflate;
  libdeflate_compressor* store;
};

namespace {

constexpr size_t kHugePage = 2 << 20;

// True if eight 4 KiB samples spread over the chunk all have a byte entropy near 8 bits: random
// or already-compressed data, which deflate cannot shrink. (Uniform bytes measure ~7.955 bits
// over 4 KiB; text and code stay below 6.5, machine code below 7.) A chunk only partly random
// is deflated as usual.
bool LooksIncompressible(const uint8_t* data, size_t size) {
  constexpr size_t kSamples = 8, kSample = 4096;
  constexpr double kRandomBits = 7.9;
  if (size < kSamples * kSample * 4) return false;
  for (size_t i = 0; i < kSamples; ++i) {
    const uint8_t* p = data + i * (size - kSample) / (kSamples - 1);
    uint32_t count[256] = {};
    for (size_t j = 0; j < kSample; ++j) ++count[p[j]];
    double bits = 0;
    for (uint32_t c : count) {
      if (c == 0) continue;
      double q = static_cast<double>(c) / kSample;
      bits -= q * std::log2(q);
    }
    if (bits < kRandomBits) return false;
  }
  return true;
}

}  // namespace

ParallelGzipWriter::ParallelGzipWriter(ByteSink& out, int level, int threads, Observer observer)
    : out_(out), level_(std::clamp(level, 1, 12)), observer_(std::move(observer)) {
  if (threads <= 0) threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  // Enough slots that every worker has a chunk while the caller fills one and the scanner and
  // emitter each hold one.
  size_t slot_count = static_cast<size_t>(2 * threads + 2);
  const size_t slot_bytes = kChunkSize;
  size_t arena_bytes = (slot_count * slot_bytes + kHugePage - 1) / kHugePage * kHugePage;
  arena_ = std::aligned_alloc(kHugePage, arena_bytes);
  if (!arena_) throw std::bad_alloc();
  // Fewer page faults (each costly in a VM) for the caller, who fills every input buffer: a
  // hint; the kernel may ignore it.
  madvise(arena_, arena_bytes, MADV_HUGEPAGE);
  for (size_t i = 0; i < slot_count; ++i) {
    auto slot = std::make_unique<Slot>();
    slot->in = static_cast<uint8_t*>(arena_) + i * slot_bytes;
    slots_.push_back(std::move(slot));
  }
  threads_.emplace_back([this] { ScannerLoop(); });
  threads_.emplace_back([this] { EmitterLoop(); });
  for (int i = 0; i < threads; ++i) threads_.emplace_back([this] { WorkerLoop(); });
}

ParallelGzipWriter::~ParallelGzipWriter() {
  StopThreads();
  std::free(arena_);
}

void ParallelGzipWriter::StopThreads() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  scan_cv_.notify_all();
  work_cv_.notify_all();
  compressed_cv_.notify_all();
  released_cv_.notify_all();
  for (std::thread& t : threads_) t.join();
  threads_.clear();
}

Status ParallelGzipWriter::Acquire() {
  {
    std::unique_lock lock(mu_);
    // Slot `filling_` last held chunk filling_ - slots; it is free once scanned and emitted.
    released_cv_.wait(lock, [&] {
      return !failure_ || filling_ < slots_.size() + std::min(scanned_, emitted_);
    });
    if (!failure_) return failure_;
  }
  Slot& slot = SlotOf(filling_);
  slot.first = filling_ == 0;
  slot.size = 0;
  slot.last = false;
  slot.compressed = false;
  slot.error.clear();
  acquired_ = true;
  fill_ = 0;
  return Ok{};
}

Status ParallelGzipWriter::Write(const void* data, size_t size) {
  if (finished_) return Internal("writing to a finished gzip stream");
  const uint8_t* p = static_cast<const uint8_t*>(data);
  while (size > 0) {
    if (!acquired_) PLINTH_CHECK(Acquire());
    Slot& slot = SlotOf(filling_);
    size_t n = std::min(size, kChunkSize - fill_);
    std::memcpy(slot.in + fill_, p, n);
    fill_ += n;
    p += n;
    size -= n;
    if (fill_ == kChunkSize) Submit(false);
  }
  return Ok{};
}

Result<size_t> ParallelGzipWriter::ReadFrom(int fd, size_t max, const std::string& path) {
  if (finished_) return Internal("writing to a finished gzip stream");
  if (max == 0) return size_t{0};
  if (!acquired_) PLINTH_CHECK(Acquire());
  Slot& slot = SlotOf(filling_);
  size_t want = std::min(max, kChunkSize - fill_);
  ssize_t n;
  do {
    n = ::read(fd, slot.in + fill_, want);
  } while (n < 0 && errno == EINTR);
  if (n < 0) return ErrnoError("reading " + path, errno);
  fill_ += static_cast<size_t>(n);
  if (fill_ == kChunkSize) Submit(false);
  return static_cast<size_t>(n);
}

void ParallelGzipWriter::Submit(bool last) {
  Slot& slot = SlotOf(filling_);
  slot.size = fill_;
  slot.last = last;
  {
    std::lock_guard lock(mu_);
    submitted_ = filling_ + 1;
  }
  scan_cv_.notify_one();
  work_cv_.notify_one();
  ++filling_;
  acquired_ = false;
}

Status ParallelGzipWriter::Finish() {
  if (finished_) return Internal("gzip stream finished twice");
  finished_ = true;
  if (!acquired_) PLINTH_CHECK(Acquire());
  Submit(true);
  {
    std::unique_lock lock(mu_);
    released_cv_.wait(lock, [&] { return scanned_ == submitted_ && emitted_ == submitted_; });
  }
  StopThreads();
  return failure_;
}

void ParallelGzipWriter::ScannerLoop() {
  for (uint64_t seq = 0;; ++seq) {
    {
      std::unique_lock lock(mu_);
      scan_cv_.wait(lock, [&] { return stopping_ || submitted_ > seq; });
      if (submitted_ <= seq) return;
    }
    Slot& slot = SlotOf(seq);
    if (observer_) observer_(slot.chunk(), slot.size);
    const bool last = slot.last;  // once released, the slot may be refilled
    {
      std::lock_guard lock(mu_);
      scanned_ = seq + 1;
    }
    released_cv_.notify_all();
    if (last) return;
  }
}

void ParallelGzipWriter::WorkerLoop() {
  Compressors compressors(level_);
  for (;;) {
    uint64_t seq;
    {
      std::unique_lock lock(mu_);
      work_cv_.wait(lock, [&] { return stopping_ || next_compress_ < submitted_; });
      if (next_compress_ >= submitted_) return;
      seq = next_compress_++;
    }
    Slot& slot = SlotOf(seq);
    Compress(compressors, slot);
    {
      std::lock_guard lock(mu_);
      slot.compressed = true;
    }
    compressed_cv_.notify_all();
  }
}

void ParallelGzipWriter::EmitterLoop() {
  for (uint64_t seq = 0;; ++seq) {
    Slot& slot = SlotOf(seq);
    {
      std::unique_lock lock(mu_);
      compressed_cv_.wait(lock, [&] { return stopping_ || (submitted_ > seq && slot.compressed); });
      if (!(submitted_ > seq && slot.compressed)) return;
    }
    Status written;
    if (!slot.error.empty()) {
      written = IoError("compressing layer with ISA-L: " + slot.error);
    } else {
      if (slot.out_size > 0) written = out_.Write(slot.output(), slot.out_size);
    }
    const bool last = slot.last;  // once released, the slot may be refilled
    {
      std::lock_guard lock(mu_);
      // After a failure the stream is lost: later chunks are only drained, so nobody waits.
      if (!written && failure_) failure_ = std::move(written);
      emitted_ = seq + 1;
    }
    released_cv_.notify_all();
    if (last) return;
  }
}

void ParallelGzipWriter::Compress(Compressors& compressors, Slot& slot) const {
  if (!compressors.deflate || !compressors.store) {
    slot.error = "cannot allocate a libdeflate compressor";
    return;
  }
  slot.out_size = 0;
  // A stream that ends on a chunk boundary ends with an empty chunk: it adds nothing, and an
  // empty member would only cost 20 bytes. An empty stream still gets one (gzip of nothing).
  if (slot.size == 0 && slot.last && !slot.first) return;
  libdeflate_compressor* c =
      LooksIncompressible(slot.chunk(), slot.size) ? compressors.store : compressors.deflate;
  size_t bound = libdeflate_gzip_compress_bound(c, slot.size);
  if (slot.out_capacity < bound) {
    slot.out.reset(new uint8_t[bound]);  // not zero-filled: libdeflate writes before it reads
    slot.out_capacity = bound;
  }
  slot.out_size = libdeflate_gzip_compress(c, slot.chunk(), slot.size, slot.out.get(), bound);
  if (slot.out_size == 0) slot.error = "libdeflate could not compress a chunk";
}

}  // namespace plinth::layer
