#include "common/task_pool.h"

namespace pd {

TaskPool::TaskPool(unsigned threads) : threads_(threads == 0 ? 1 : threads) {}

TaskPool::~TaskPool() {
  wait();
  {
    std::lock_guard<std::mutex> lock(m_);
    stop_ = true;
  }
  cv_.notify_all();
  for (std::thread& t : workers_) t.join();
}

void TaskPool::submit(std::function<void()> task) {
  {
    std::lock_guard<std::mutex> lock(m_);
    queue_.push_back(std::move(task));
    if (workers_.size() < threads_) workers_.emplace_back([this] { run(); });
  }
  cv_.notify_one();
}

void TaskPool::wait() {
  std::unique_lock<std::mutex> lock(m_);
  idle_.wait(lock, [this] { return queue_.empty() && busy_ == 0; });
}

void TaskPool::run() {
  std::unique_lock<std::mutex> lock(m_);
  for (;;) {
    cv_.wait(lock, [this] { return stop_ || !queue_.empty(); });
    if (queue_.empty()) return;  // stopping, nothing left
    std::function<void()> task = std::move(queue_.front());
    queue_.pop_front();
    ++busy_;
    lock.unlock();
    task();
    lock.lock();
    --busy_;
    if (queue_.empty() && busy_ == 0) idle_.notify_all();
  }
}

}  // namespace pd
