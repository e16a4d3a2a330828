// A few threads running queued tasks in the order they were submitted. Threads start on the
// first submit, so a pool that is never used costs nothing.
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace pd {

class TaskPool {
 public:
  explicit TaskPool(unsigned threads);
  // Waits for every submitted task.
  ~TaskPool();
  TaskPool(const TaskPool&) = delete;
  TaskPool& operator=(const TaskPool&) = delete;

  // Queues `task`. A task must not throw: it keeps its own errors for its submitter.
  void submit(std::function<void()> task);
  // Returns when every task submitted so far has run.
  void wait();

 private:
  void run();

  const unsigned threads_;
  std::mutex m_;
  std::condition_variable cv_, idle_;
  std::deque<std::function<void()>> queue_;  // guarded by m_
  unsigned busy_ = 0;                        // guarded by m_
  bool stop_ = false;                        // guarded by m_
  std::vector<std::thread> workers_;
};

}  // namespace pd
