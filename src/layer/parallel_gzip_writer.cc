#include "layer/parallel_gzip_writer.h"

#include <isa-l/crc.h>
#include <isa-l/igzip_lib.h>
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
  uint8_t* in = nullptr;  // kDictSize bytes of dictionary room, then the chunk
  size_t dict_size = 0;
  size_t size = 0;
  // Allocated by the worker that first deflates into it: its pages are touched (and, in a VM,
  // faulted in at some cost) off the caller's thread, and only as far as output reaches.
  std::unique_ptr<uint8_t[]> out;
  size_t out_capacity = 0;
  std::vector<uint8_t> grown;  // used instead of `out` if deflate ever needs more room
  size_t out_size = 0;
  bool last = false;
  bool compressed = false;
  std::string error;  // empty: fine

  const uint8_t* chunk() const { return in + kDictSize; }
  const uint8_t* output() const { return grown.empty() ? out.get() : grown.data(); }
};

namespace {

// Room for a deflated chunk: incompressible data grows by a stored-block header per 64 KiB.
constexpr size_t kOutCapacity = ParallelGzipWriter::kChunkSize +
                                ParallelGzipWriter::kChunkSize / 16 + 4096;
constexpr size_t kHugePage = 2 << 20;

uint32_t LevelBufferSize(int level) {
  switch (level) {
    case 0: return ISAL_DEF_LVL0_DEFAULT;
    case 1: return ISAL_DEF_LVL1_DEFAULT;
    case 2: return ISAL_DEF_LVL2_DEFAULT;
    default: return ISAL_DEF_LVL3_DEFAULT;
  }
}

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

// Deflate stored blocks (RFC 1951 3.2.4) holding `size` bytes, starting on a byte boundary (the
// previous chunk ended with a sync flush, or this is the first); `final` marks the last block.
size_t WriteStoredBlocks(const uint8_t* data, size_t size, bool final, uint8_t* out) {
  uint8_t* o = out;
  do {
    size_t n = std::min<size_t>(size, 65535);
    bool last_block = final && n == size;
    *o++ = last_block ? 1 : 0;  // BFINAL, BTYPE=00, then padding to the byte boundary
    *o++ = static_cast<uint8_t>(n);
    *o++ = static_cast<uint8_t>(n >> 8);
    *o++ = static_cast<uint8_t>(~n);
    *o++ = static_cast<uint8_t>(~n >> 8);
    std::memcpy(o, data, n);
    o += n;
    data += n;
    size -= n;
  } while (size > 0);
  return static_cast<size_t>(o - out);
}

}  // namespace

ParallelGzipWriter::ParallelGzipWriter(ByteSink& out, int level, int threads, Observer observer)
    : out_(out), level_(std::clamp(level, 0, 3)), observer_(std::move(observer)) {
  if (threads <= 0) threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  // Enough slots that every worker has a chunk while the caller fills one and the scanner and
  // emitter each hold one.
  size_t slot_count = static_cast<size_t>(2 * threads + 2);
  const size_t slot_bytes = kDictSize + kChunkSize;
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
  slot.dict_size = 0;
  if (filling_ > 0) {
    // The previous chunk is full (only the last may be short) and still in its slot.
    const Slot& prev = SlotOf(filling_ - 1);
    std::memcpy(slot.in, prev.chunk() + kChunkSize - kDictSize, kDictSize);
    slot.dict_size = kDictSize;
  }
  slot.size = 0;
  slot.last = false;
  slot.compressed = false;
  slot.error.clear();
  slot.grown.clear();
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
    std::memcpy(slot.in + kDictSize + fill_, p, n);
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
    n = ::read(fd, slot.in + kDictSize + fill_, want);
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
  if (!failure_) return failure_;
  uint8_t trailer[8];
  for (int i = 0; i < 4; ++i) trailer[i] = static_cast<uint8_t>(crc_ >> (8 * i));
  for (int i = 0; i < 4; ++i) trailer[4 + i] = static_cast<uint8_t>(total_in_ >> (8 * i));
  return out_.Write(trailer, sizeof trailer);
}

void ParallelGzipWriter::ScannerLoop() {
  for (uint64_t seq = 0;; ++seq) {
    {
      std::unique_lock lock(mu_);
      scan_cv_.wait(lock, [&] { return stopping_ || submitted_ > seq; });
      if (submitted_ <= seq) return;
    }
    Slot& slot = SlotOf(seq);
    crc_ = crc32_gzip_refl(crc_, slot.chunk(), slot.size);
    total_in_ += slot.size;
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
  std::vector<uint8_t> level_buf(LevelBufferSize(level_));
  for (;;) {
    uint64_t seq;
    {
      std::unique_lock lock(mu_);
      work_cv_.wait(lock, [&] { return stopping_ || next_compress_ < submitted_; });
      if (next_compress_ >= submitted_) return;
      seq = next_compress_++;
    }
    Slot& slot = SlotOf(seq);
    Compress(level_buf, slot);
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
      if (seq == 0) {
        // ID1 ID2 CM=deflate FLG=0 MTIME=0 XFL=0 OS=255 (unknown): no name, no time, reproducible.
        static const uint8_t kHeader[10] = {0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff};
        written = out_.Write(kHeader, sizeof kHeader);
      }
      if (written) written = out_.Write(slot.output(), slot.out_size);
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

void ParallelGzipWriter::Compress(std::vector<uint8_t>& level_buf, Slot& slot) const {
  if (!slot.out) {
    slot.out.reset(new uint8_t[kOutCapacity]);  // not zero-filled: deflate writes before reads
    slot.out_capacity = kOutCapacity;
  }
  if (LooksIncompressible(slot.chunk(), slot.size)) {
    slot.out_size = WriteStoredBlocks(slot.chunk(), slot.size, slot.last, slot.out.get());
    return;
  }
  isal_zstream s;
  isal_deflate_init(&s);
  s.level = static_cast<uint32_t>(level_);
  s.level_buf = level_buf.data();
  s.level_buf_size = static_cast<uint32_t>(level_buf.size());
  s.gzip_flag = IGZIP_DEFLATE;
  if (slot.dict_size > 0 &&
      isal_deflate_set_dict(&s, slot.in, static_cast<uint32_t>(slot.dict_size)) != COMP_OK) {
    slot.error = "cannot set the deflate dictionary";
    return;
  }
  s.end_of_stream = slot.last ? 1 : 0;
  s.flush = slot.last ? NO_FLUSH : SYNC_FLUSH;
  s.next_in = const_cast<uint8_t*>(slot.chunk());
  s.avail_in = static_cast<uint32_t>(slot.size);
  s.next_out = slot.out.get();
  s.avail_out = static_cast<uint32_t>(slot.out_capacity);
  uint8_t* out = slot.out.get();
  size_t capacity = slot.out_capacity;
  // isal_deflate consumes all input and completes the flush (or the final block) whenever
  // it has output space left when it returns; otherwise grow the output and call again.
  for (;;) {
    int rc = isal_deflate(&s);
    if (rc != COMP_OK) {
      slot.error = "isal_deflate failed with code " + std::to_string(rc);
      return;
    }
    bool complete = s.avail_in == 0 && s.avail_out > 0 &&
                    (!slot.last || s.internal_state.state == ZSTATE_END);
    if (complete) break;
    size_t used = capacity - s.avail_out;
    std::vector<uint8_t> bigger(capacity * 2);
    std::memcpy(bigger.data(), out, used);
    slot.grown.swap(bigger);
    out = slot.grown.data();
    capacity = slot.grown.size();
    s.next_out = out + used;
    s.avail_out = static_cast<uint32_t>(capacity - used);
  }
  slot.out_size = capacity - s.avail_out;
}

}  // namespace plinth::layer
