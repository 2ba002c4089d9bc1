#pragma once
// Work on many files at once, reporting in the order the user gave them: the batch commands
// (`features`, `classify`) compute on a few threads and print from the main thread.
#include <algorithm>
#include <atomic>
#include <cstddef>
#include <future>
#include <thread>
#include <vector>

#include <CLI/CLI.hpp>

namespace sonotype::cli {

// The --jobs option: how many files are worked on at once. Each holds its decoded audio and its
// analysis buffers, so the default is one per core but at most four.
inline CLI::Option* add_jobs_option(CLI::App& cmd, unsigned& jobs) {
  jobs = std::clamp(std::thread::hardware_concurrency(), 1u, 4u);
  return cmd.add_option("-j,--jobs", jobs,
                        "Files worked on at once, each holding its audio in memory (default: one per core, at most 4)")
      ->check(CLI::Range(1u, 256u))
      ->capture_default_str();
}

// Calls compute(i) for i in [0, count) on up to `jobs` threads, and report(i, result) on the
// calling thread in order of i, each as soon as it and every result before it are ready.
// compute must be safe to run concurrently; an exception it throws is rethrown here, in turn.
template <class Compute, class Report>
void for_each_in_order(std::size_t count, unsigned jobs, Compute compute, Report report) {
  using Result = decltype(compute(std::size_t{}));
  std::vector<std::promise<Result>> promises(count);
  std::vector<std::future<Result>> futures;
  for (auto& p : promises) futures.push_back(p.get_future());
  std::atomic<std::size_t> next{0};
  const auto work = [&] {
    for (std::size_t i; (i = next++) < count;) {
      try {
        promises[i].set_value(compute(i));
      } catch (...) {
        promises[i].set_exception(std::current_exception());
      }
    }
  };
  std::vector<std::jthread> threads;  // joined on the way out
  try {
    for (std::size_t t = 0; t < std::min<std::size_t>(jobs, count); ++t) threads.emplace_back(work);
    for (std::size_t i = 0; i < count; ++i) report(i, futures[i].get());
  } catch (...) {
    next = count;  // the threads finish what they hold and take nothing more
    throw;
  }
}

}  // namespace sonotype::cli
