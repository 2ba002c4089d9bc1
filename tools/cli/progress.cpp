#include "tools/cli/progress.h"

#include <unistd.h>

#include <cstdio>

namespace sonotype::cli {

Progress::Progress(std::size_t total) : shown_(isatty(STDERR_FILENO) == 1), total_(total) {}

void Progress::message(const std::string& line) {
  finish();
  std::fprintf(stderr, "%s\n", line.c_str());
  if (done_ > 0) update(done_);
}

void Progress::update(std::size_t done) {
  done_ = done;
  if (!shown_) return;
  const double minutes = std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count() / 60;
  const double per_minute = minutes > 0 ? double(done) / minutes : 0;
  std::string line = std::to_string(done) + "/" + std::to_string(total_) + " songs";
  if (done > 0 && per_minute > 0) {
    const auto left = static_cast<long>(double(total_ - done) / per_minute * 60 + 0.5);
    char text[96];
    std::snprintf(text, sizeof text, ", %.1f per minute, %ld:%02ld left", per_minute, left / 60, left % 60);
    line += text;
  }
  std::fprintf(stderr, "\r\033[K%s", line.c_str());
  std::fflush(stderr);
  drawn_ = true;
}

void Progress::finish() {
  if (!drawn_) return;
  std::fprintf(stderr, "\r\033[K");
  std::fflush(stderr);
  drawn_ = false;
}

}  // namespace sonotype::cli
