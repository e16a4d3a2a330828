// Hands byte streams to one worker thread through a small bounded ring of buffers, so that the
// work done on them (SHA-256 of a blob) overlaps the caller's own (inflating, parsing tar).
// Bytes are copied into the ring: the caller may reuse its buffer at once. Each stream's bytes
// reach the consumer in order; streams are independent. No thread is started for streams that
// never fill one buffer (documents, configs): those are consumed on the caller's thread.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace pd {

class WorkerPipe {
 public:
  // Called on the worker (or, for small inputs, the caller's) thread, never concurrently.
  using Consumer = std::function<void(int stream, const char* data, size_t n)>;
  static constexpr int kStreams = 2;

  explicit WorkerPipe(Consumer consume, size_t slotBytes = 512 << 10, size_t slots = 6);
  // Stops the worker without consuming what is still queued (the caller is failing anyway).
  ~WorkerPipe();
  WorkerPipe(const WorkerPipe&) = delete;
  WorkerPipe& operator=(const WorkerPipe&) = delete;

  // Copies `n` bytes for `stream` (0 or 1); blocks while the ring is full. Rethrows an exception
  // the consumer threw.
  void push(int stream, const char* data, size_t n);
  // Waits until every byte pushed was consumed and the worker has stopped; rethrows an exception
  // the consumer threw. Afterwards the consumer's effects are visible to the caller and push()
  // must not be called again. May be called again (it then does nothing).
  void finish();

 private:
  struct Slot {
    int stream = 0;
    size_t len = 0;
    std::unique_ptr<char[]> bytes;
  };
  std::unique_ptr<Slot> acquire();        // a free slot, waiting for one if need be
  void post(std::unique_ptr<Slot> slot);  // queues it for the worker, starting it if needed
  void run();                             // the worker
  void rethrowLocked();                   // with m_ held

  Consumer consume_;
  const size_t slotBytes_, maxSlots_;
  std::unique_ptr<Slot> open_[kStreams];  // being filled by the caller
  bool finished_ = false;

  std::mutex m_;
  std::condition_variable cv_;
  std::vector<std::unique_ptr<Slot>> free_;  // guarded by m_
  std::deque<std::unique_ptr<Slot>> queue_;  // guarded by m_
  size_t allocated_ = 0;                     // guarded by m_
  bool closing_ = false, stop_ = false;      // guarded by m_
  std::exception_ptr error_;                 // guarded by m_
  std::thread worker_;
};

}  // namespace pd
