#pragma once
// Running the `sonotype` executable from tests, and writing audio files for it to read.
#include <filesystem>
#include <string>
#include <vector>

namespace sonotype::test {

struct CliResult {
  int status = -1;  // exit status
  std::string out;  // stdout
  std::string err;  // stderr
};

// Runs `sonotype ARGS` (ARGS is passed to the shell as written) and captures its output.
CliResult run_cli(const std::string& args);

// Runs a shell command line (another program: a reference script) and captures its output.
CliResult run_shell(const std::string& command_line);

// A shell word for any path, single quotes included.
std::string shell_word(const std::filesystem::path& p);

// The records of a CSV text as Python's csv module (an independent RFC 4180 reader) reads them.
std::vector<std::vector<std::string>> python_csv(const std::string& text);

// A fresh, empty directory under the system temp folder, unique to this process.
std::filesystem::path temp_dir(const std::string& name);

// Writes samples (interleaved when channels > 1) as a WAV file: 16-bit PCM, or 32-bit float
// (which can hold NaN/Inf).
void write_wav(const std::filesystem::path& path, const std::vector<float>& samples, int rate, bool as_float = false,
               int channels = 1);

}  // namespace sonotype::test
