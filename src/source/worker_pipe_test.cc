// WorkerPipe: order per stream, small inputs without a thread, errors from the worker reaching the
// caller, and abandoning a pipe with work queued.
#include "source/worker_pipe.h"

#include <gtest/gtest.h>

#include <atomic>

#include <random>
#include <stdexcept>
#include <string>
#include <thread>

namespace pd {
namespace {

std::string sample(size_t n, uint32_t seed) {
  std::mt19937 rng(seed);
  std::string s(n, '\0');
  for (auto& c : s) c = static_cast<char>(rng());
  return s;
}

TEST(WorkerPipe, EachStreamArrivesWholeAndInOrder) {
  const std::string a = sample(3'000'000, 1), b = sample(1'700'001, 2);
  for (size_t slot : {size_t{1}, size_t{4096}, size_t{512} << 10}) {
    std::string gotA, gotB;
    std::thread::id consumer;
    WorkerPipe pipe(
        [&](int stream, const char* p, size_t n) {
          consumer = std::this_thread::get_id();
          (stream == 0 ? gotA : gotB).append(p, n);
        },
        slot, 3);
    // Interleave the two streams in uneven pieces, as BlobStream does.
    std::mt19937 rng(3);
    size_t ia = 0, ib = 0;
    size_t piece = slot == 1 ? 7 : 70000;
    if (slot == 1) {  // a byte per slot: keep it short
      ia = a.size() - 20000;
      ib = b.size() - 20000;
      gotA = a.substr(0, ia);
      gotB = b.substr(0, ib);
    }
    while (ia < a.size() || ib < b.size()) {
      size_t k = std::min(a.size() - ia, size_t{rng() % piece});
      pipe.push(0, a.data() + ia, k);
      ia += k;
      k = std::min(b.size() - ib, size_t{rng() % piece});
      pipe.push(1, b.data() + ib, k);
      ib += k;
    }
    pipe.finish();
    pipe.finish();  // again: nothing
    EXPECT_TRUE(gotA == a) << "slot " << slot;
    EXPECT_TRUE(gotB == b) << "slot " << slot;
    EXPECT_NE(consumer, std::this_thread::get_id());
  }
}

TEST(WorkerPipe, SmallInputsAreConsumedWithoutAThread) {
  std::string got;
  std::thread::id consumer;
  WorkerPipe pipe([&](int, const char* p, size_t n) {
    consumer = std::this_thread::get_id();
    got.append(p, n);
  });
  pipe.push(0, "hello", 5);
  pipe.finish();
  EXPECT_EQ(got, "hello");
  EXPECT_EQ(consumer, std::this_thread::get_id());
  EXPECT_THROW(pipe.push(0, "x", 1), std::logic_error);
}

TEST(WorkerPipe, AnErrorOnTheWorkerReachesTheCaller) {
  const std::string a = sample(5'000'000, 4);
  WorkerPipe pipe([&](int, const char*, size_t) { throw std::runtime_error("consumer failed"); },
                  4096, 3);
  bool thrown = false;
  try {
    for (size_t i = 0; i < a.size(); i += 1000) pipe.push(0, a.data() + i, 1000);
    pipe.finish();
  } catch (const std::runtime_error& e) {
    thrown = true;
    EXPECT_STREQ(e.what(), "consumer failed");
  }
  EXPECT_TRUE(thrown);
  // finish() keeps saying so.
  EXPECT_THROW(pipe.finish(), std::runtime_error);
}

TEST(WorkerPipe, AnErrorOnASmallInputReachesTheCaller) {
  WorkerPipe pipe([&](int, const char*, size_t) { throw std::runtime_error("small failed"); });
  pipe.push(1, "x", 1);
  EXPECT_THROW(pipe.finish(), std::runtime_error);
  EXPECT_THROW(pipe.finish(), std::runtime_error);
}

TEST(WorkerPipe, CanBeAbandonedWithWorkQueued) {
  const std::string a = sample(4'000'000, 5);
  std::atomic<size_t> consumed = 0;
  std::atomic<bool> abandoning = false;
  {
    WorkerPipe pipe(
        [&](int, const char*, size_t n) {
          // Once the owner gives up, each slot takes long enough that the queue (4 slots)
          // cannot drain before the destructor says stop.
          std::this_thread::sleep_for(std::chrono::milliseconds(abandoning ? 50 : 0));
          consumed += n;
        },
        65536, 4);
    pipe.push(0, a.data(), a.size());
    abandoning = true;
    // Destroyed without finish(), as when parsing fails: must return, not hang or crash, and
    // must not consume what is still queued.
  }
  EXPECT_LT(consumed.load(), a.size()) << "the destructor ran the queued work";
}

}  // namespace
}  // namespace pd
