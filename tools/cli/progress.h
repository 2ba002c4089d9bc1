#pragma once
// A one-line progress report on stderr for the batch commands: "12/800 songs, 31.5 per minute,
// 25:03 left". Only when stderr is a terminal: in pipes, files and CI nothing extra is written.
#include <chrono>
#include <cstddef>
#include <string>

namespace sonotype::cli {

class Progress {
 public:
  explicit Progress(std::size_t total);
  ~Progress() { finish(); }
  Progress(const Progress&) = delete;
  Progress& operator=(const Progress&) = delete;

  // Writes `line` (a message) to stderr on a line of its own, above the progress line.
  void message(const std::string& line);
  // `done` of the total are finished: redraws the line.
  void update(std::size_t done);
  // Erases the line (also done on destruction).
  void finish();

 private:
  bool shown_ = false;  // stderr is a terminal
  bool drawn_ = false;  // a progress line is on screen
  std::size_t total_;
  std::size_t done_ = 0;
  std::chrono::steady_clock::time_point started_ = std::chrono::steady_clock::now();
};

}  // namespace sonotype::cli
