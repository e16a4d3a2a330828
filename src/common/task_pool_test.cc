#include "common/task_pool.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>

namespace pd {
namespace {

TEST(TaskPool, RunsEveryTaskAndWaitsForThem) {
  std::atomic<int> ran{0};
  TaskPool pool(3);
  for (int i = 0; i < 1000; ++i) pool.submit([&ran] { ran.fetch_add(1); });
  pool.wait();
  EXPECT_EQ(ran.load(), 1000);
  // Usable again after a wait.
  pool.submit([&ran] { ran.fetch_add(10); });
  pool.wait();
  EXPECT_EQ(ran.load(), 1010);
}

TEST(TaskPool, DestructorWaitsForQueuedTasks) {
  std::atomic<int> ran{0};
  {
    TaskPool pool(2);
    for (int i = 0; i < 8; ++i)
      pool.submit([&ran] {
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
        ran.fetch_add(1);
      });
  }
  EXPECT_EQ(ran.load(), 8);
}

}  // namespace
}  // namespace pd
