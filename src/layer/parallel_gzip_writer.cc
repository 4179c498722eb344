#include "layer/parallel_gzip_writer.h"

#include <isa-l/crc.h>
#include <isa-l/igzip_lib.h>

#include <algorithm>
#include <cstring>

namespace plinth::layer {

struct ParallelGzipWriter::Job {
  std::vector<uint8_t> input;
  std::vector<uint8_t> dict;
  std::vector<uint8_t> output;
  size_t output_size = 0;
  bool last = false;
  bool done = false;
  std::string error;  // empty: fine
};

namespace {

uint32_t LevelBufferSize(int level) {
  switch (level) {
    case 0: return ISAL_DEF_LVL0_DEFAULT;
    case 1: return ISAL_DEF_LVL1_DEFAULT;
    case 2: return ISAL_DEF_LVL2_DEFAULT;
    default: return ISAL_DEF_LVL3_DEFAULT;
  }
}

}  // namespace

ParallelGzipWriter::ParallelGzipWriter(ByteSink& out, int level, int threads)
    : out_(out), level_(std::clamp(level, 0, 3)) {
  if (threads <= 0) threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  // Two chunks per worker keeps every worker busy while the caller emits; ~4 MiB per worker.
  max_in_flight_ = static_cast<size_t>(2 * threads + 1);
  buffer_.reserve(kChunkSize);
  for (int i = 0; i < threads; ++i) workers_.emplace_back([this] { WorkerLoop(); });
}

ParallelGzipWriter::~ParallelGzipWriter() { StopWorkers(); }

void ParallelGzipWriter::StopWorkers() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  work_cv_.notify_all();
  for (std::thread& t : workers_) t.join();
  workers_.clear();
}

Status ParallelGzipWriter::Write(const void* data, size_t size) {
  if (finished_) return Internal("writing to a finished gzip stream");
  const uint8_t* p = static_cast<const uint8_t*>(data);
  while (size > 0) {
    size_t n = std::min(size, kChunkSize - buffer_.size());
    buffer_.insert(buffer_.end(), p, p + n);
    p += n;
    size -= n;
    if (buffer_.size() == kChunkSize) PLINTH_CHECK(Submit(false));
  }
  return Ok{};
}

Status ParallelGzipWriter::Submit(bool last) {
  if (!header_written_) {
    // ID1 ID2 CM=deflate FLG=0 MTIME=0 XFL=0 OS=255 (unknown): no name, no time, reproducible.
    static const uint8_t kHeader[10] = {0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff};
    PLINTH_CHECK(out_.Write(kHeader, sizeof kHeader));
    header_written_ = true;
  }
  crc_ = crc32_gzip_refl(crc_, buffer_.data(), buffer_.size());
  total_in_ += buffer_.size();

  auto job = std::make_shared<Job>();
  job->last = last;
  job->dict = dict_;
  size_t keep = std::min(buffer_.size(), kDictSize);
  if (keep == kDictSize || dict_.empty()) {
    dict_.assign(buffer_.end() - keep, buffer_.end());
  } else {  // a short chunk: the dictionary is the tail of (old dict + chunk)
    dict_.insert(dict_.end(), buffer_.begin(), buffer_.end());
    dict_.erase(dict_.begin(), dict_.end() - std::min(dict_.size(), kDictSize));
  }
  {
    std::lock_guard lock(mu_);
    job->input.swap(buffer_);
    if (!spare_.empty()) {
      buffer_.swap(spare_.back());
      spare_.pop_back();
    }
    queue_.push_back(job);
    in_flight_.push_back(job);
  }
  buffer_.clear();
  buffer_.reserve(kChunkSize);
  work_cv_.notify_one();

  PLINTH_CHECK(Emit(false));
  while (true) {
    {
      std::lock_guard lock(mu_);
      if (in_flight_.size() < max_in_flight_) break;
    }
    PLINTH_CHECK(Emit(true));
  }
  return Ok{};
}

Status ParallelGzipWriter::Emit(bool wait) {
  for (;;) {
    std::shared_ptr<Job> job;
    {
      std::unique_lock lock(mu_);
      if (in_flight_.empty()) return Ok{};
      if (wait) done_cv_.wait(lock, [&] { return in_flight_.front()->done; });
      if (!in_flight_.front()->done) return Ok{};
      job = in_flight_.front();
      in_flight_.pop_front();
    }
    wait = false;
    if (!job->error.empty()) return IoError("compressing layer with ISA-L: " + job->error);
    PLINTH_CHECK(out_.Write(job->output.data(), job->output_size));
    std::lock_guard lock(mu_);
    // Recycled buffers keep their size (output) or capacity (input): no page faults, no
    // zero-fill on reuse.
    job->input.clear();
    spare_.push_back(std::move(job->input));
    spare_.push_back(std::move(job->output));
    if (spare_.size() > 2 * max_in_flight_) spare_.resize(2 * max_in_flight_);
  }
}

Status ParallelGzipWriter::Finish() {
  if (finished_) return Internal("gzip stream finished twice");
  PLINTH_CHECK(Submit(true));
  while (true) {
    {
      std::lock_guard lock(mu_);
      if (in_flight_.empty()) break;
    }
    PLINTH_CHECK(Emit(true));
  }
  finished_ = true;
  StopWorkers();
  uint8_t trailer[8];
  for (int i = 0; i < 4; ++i) trailer[i] = static_cast<uint8_t>(crc_ >> (8 * i));
  for (int i = 0; i < 4; ++i) trailer[4 + i] = static_cast<uint8_t>(total_in_ >> (8 * i));
  return out_.Write(trailer, sizeof trailer);
}

void ParallelGzipWriter::WorkerLoop() {
  std::vector<uint8_t> level_buf(LevelBufferSize(level_));
  for (;;) {
    std::shared_ptr<Job> job;
    {
      std::unique_lock lock(mu_);
      work_cv_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;
      job = queue_.front();
      queue_.pop_front();
      if (!spare_.empty()) {
        job->output.swap(spare_.back());
        spare_.pop_back();
      }
    }
    Compress(level_, level_buf, job.get());
    {
      std::lock_guard lock(mu_);
      job->done = true;
    }
    done_cv_.notify_one();
  }
}

void ParallelGzipWriter::Compress(int level, std::vector<uint8_t>& level_buf, Job* job) {
  isal_zstream s;
  isal_deflate_init(&s);
  s.level = static_cast<uint32_t>(level);
  s.level_buf = level_buf.data();
  s.level_buf_size = static_cast<uint32_t>(level_buf.size());
  s.gzip_flag = IGZIP_DEFLATE;
  if (!job->dict.empty() &&
      isal_deflate_set_dict(&s, job->dict.data(), static_cast<uint32_t>(job->dict.size())) !=
          COMP_OK) {
    job->error = "cannot set the deflate dictionary";
    return;
  }
  s.end_of_stream = job->last ? 1 : 0;
  s.flush = job->last ? NO_FLUSH : SYNC_FLUSH;
  s.next_in = job->input.data();
  s.avail_in = static_cast<uint32_t>(job->input.size());
  // Incompressible data grows by a stored-block header per 64 KiB; this is ample.
  size_t bound = job->input.size() + job->input.size() / 16 + 4096;
  if (job->output.size() < bound) job->output.resize(bound);
  s.next_out = job->output.data();
  s.avail_out = static_cast<uint32_t>(job->output.size());
  // isal_deflate consumes all input and completes the flush (or the final block) whenever
  // it has output space left when it returns; otherwise grow the output and call again.
  for (;;) {
    int rc = isal_deflate(&s);
    if (rc != COMP_OK) {
      job->error = "isal_deflate failed with code " + std::to_string(rc);
      return;
    }
    bool complete = s.avail_in == 0 && s.avail_out > 0 &&
                    (!job->last || s.internal_state.state == ZSTATE_END);
    if (complete) break;
    size_t used = job->output.size() - s.avail_out;
    job->output.resize(job->output.size() * 2);
    s.next_out = job->output.data() + used;
    s.avail_out = static_cast<uint32_t>(job->output.size() - used);
  }
  job->output_size = job->output.size() - s.avail_out;
}

}  // namespace plinth::layer
