#include "source/worker_pipe.h"

#include <algorithm>
#include <cstring>
#include <stdexcept>

namespace pd {

WorkerPipe::WorkerPipe(Consumer consume, size_t slotBytes, size_t slots)
    : consume_(std::move(consume)),
      slotBytes_(std::max<size_t>(slotBytes, 1)),
      // Each stream holds one slot while filling it; one more keeps the worker fed.
      maxSlots_(std::max<size_t>(slots, kStreams + 1)) {}

WorkerPipe::~WorkerPipe() {
  {
    std::lock_guard lk(m_);
    stop_ = true;
  }
  cv_.notify_all();
  if (worker_.joinable()) worker_.join();
}

void WorkerPipe::rethrowLocked() {
  if (error_) std::rethrow_exception(error_);
}

std::unique_ptr<WorkerPipe::Slot> WorkerPipe::acquire() {
  std::unique_lock lk(m_);
  cv_.wait(lk, [&] { return error_ || !free_.empty() || allocated_ < maxSlots_; });
  rethrowLocked();
  if (!free_.empty()) {
    auto s = std::move(free_.back());
    free_.pop_back();
    s->len = 0;
    return s;
  }
  ++allocated_;
  lk.unlock();
  auto s = std::make_unique<Slot>();
  s->bytes = std::make_unique_for_overwrite<char[]>(slotBytes_);
  return s;
}

void WorkerPipe::post(std::unique_ptr<Slot> slot) {
  {
    std::lock_guard lk(m_);
    rethrowLocked();
    queue_.push_back(std::move(slot));
    if (!worker_.joinable()) worker_ = std::thread(&WorkerPipe::run, this);
  }
  cv_.notify_all();
}

void WorkerPipe::push(int stream, const char* data, size_t n) {
  if (finished_) throw std::logic_error("WorkerPipe::push after finish");
  auto& open = open_[stream];
  while (n > 0) {
    if (!open) open = acquire();
    open->stream = stream;
    size_t k = std::min(n, slotBytes_ - open->len);
    std::memcpy(open->bytes.get() + open->len, data, k);
    open->len += k;
    data += k;
    n -= k;
    if (open->len == slotBytes_) post(std::move(open));
  }
}

void WorkerPipe::finish() {
  if (finished_) {
    std::lock_guard lk(m_);
    rethrowLocked();
    return;
  }
  finished_ = true;
  bool threaded;
  {
    std::lock_guard lk(m_);
    threaded = worker_.joinable();
  }
  if (!threaded) {
    // Never filled a slot: consume here, no thread needed.
    try {
      for (auto& open : open_)
        if (open && open->len) consume_(open->stream, open->bytes.get(), open->len);
    } catch (...) {
      std::lock_guard lk(m_);
      error_ = std::current_exception();
      throw;
    }
    return;
  }
  for (auto& open : open_)
    if (open && open->len) post(std::move(open));
  {
    std::lock_guard lk(m_);
    closing_ = true;
  }
  cv_.notify_all();
  worker_.join();
  std::lock_guard lk(m_);
  rethrowLocked();
}

void WorkerPipe::run() {
  for (;;) {
    std::unique_ptr<Slot> s;
    {
      std::unique_lock lk(m_);
      cv_.wait(lk, [&] { return stop_ || closing_ || !queue_.empty(); });
      if (stop_ || queue_.empty()) return;  // abandoned, or closing with everything consumed
      s = std::move(queue_.front());
      queue_.pop_front();
    }
    try {
      consume_(s->stream, s->bytes.get(), s->len);
    } catch (...) {
      // Handed to the caller's next push() or finish(); the worker stops here.
      std::lock_guard lk(m_);
      error_ = std::current_exception();
      cv_.notify_all();
      return;
    }
    {
      std::lock_guard lk(m_);
      free_.push_back(std::move(s));
    }
    cv_.notify_all();
  }
}

}  // namespace pd
