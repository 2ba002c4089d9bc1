#include "tests/unit/cli_run.h"

#include <doctest/doctest.h>
#include <sndfile.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

namespace sonotype::test {

namespace {

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace

std::string shell_word(const std::filesystem::path& p) {
  std::string out = "'";
  for (char c : p.string()) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

std::vector<std::vector<std::string>> python_csv(const std::string& text) {
  const auto dir = temp_dir("python-csv");
  std::ofstream(dir / "in.csv", std::ios::binary) << text;
  const std::string command = "/usr/bin/python3 -c \"import csv, json, sys; "
                              "print(json.dumps(list(csv.reader(open(sys.argv[1], newline='', encoding='utf-8')))))\" " +
                              shell_word(dir / "in.csv") + " > " + shell_word(dir / "out.json");
  REQUIRE_MESSAGE(std::system(command.c_str()) == 0, "Python's csv module cannot read:\n" << text);
  std::ifstream in(dir / "out.json");
  return nlohmann::json::parse(in).get<std::vector<std::vector<std::string>>>();
}

std::filesystem::path temp_dir(const std::string& name) {
  const auto dir = std::filesystem::temp_directory_path() / ("sonotype-test-" + std::to_string(getpid())) / name;
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

CliResult run_cli(const std::string& args) { return run_shell(std::string("'") + SONOTYPE_CLI + "' " + args); }

CliResult run_shell(const std::string& command_line) {
  const auto dir = temp_dir("cli-output");
  const auto out = dir / "stdout", err = dir / "stderr";
  const std::string command = command_line + " >'" + out.string() + "' 2>'" + err.string() + "'";
  const int raw = std::system(command.c_str());
  REQUIRE_MESSAGE(raw != -1, "cannot run " << command);
  CliResult result;
  result.status = WIFEXITED(raw) ? WEXITSTATUS(raw) : 128 + WTERMSIG(raw);
  result.out = read_file(out);
  result.err = read_file(err);
  return result;
}

void write_wav(const std::filesystem::path& path, const std::vector<float>& samples, int rate, bool as_float,
               int channels) {
  SF_INFO info{};
  info.samplerate = rate;
  info.channels = channels;
  info.format = SF_FORMAT_WAV | (as_float ? SF_FORMAT_FLOAT : SF_FORMAT_PCM_16);
  SNDFILE* file = sf_open(path.c_str(), SFM_WRITE, &info);
  REQUIRE_MESSAGE(file != nullptr, "cannot write " << path.string() << ": " << sf_strerror(nullptr));
  const sf_count_t written = sf_write_float(file, samples.data(), static_cast<sf_count_t>(samples.size()));
  sf_close(file);
  REQUIRE(written == static_cast<sf_count_t>(samples.size()));
}

}  // namespace sonotype::test
