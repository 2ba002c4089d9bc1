// The long-run fuzz driver that tools/fuzz.sh builds under ASan + UBSan:
//
//   sonotype_fuzz audio|blob|writers COUNT SEED OUT_DIR [TIMEOUT_S [FIRST_CASE]]
//
// Makes COUNT damaged inputs from the seeds (audio: tests/fuzz/fuzz_cases.h's WAV, FLAC, Ogg,
// Opus and MP3 seeds, read by load_audio and classified; blob: the default model, half of the
// cases resealed so that the damage passes the checksum; writers: songs with odd names written
// as the CLI's CSV and playlists, which must read back) and runs each in a child process, so
// that a crash, a hang (no answer within TIMEOUT_S, default 60) or a sanitizer report is counted
// and the batch goes on. Inputs that crash, hang or make the sanitizers report are kept in
// OUT_DIR/crashes (a writers case as the list of its names) with the child's stderr (a case whose answer is not finite, or that throws
// anything but its input's error, counts as a crash). Every failure is reported on stdout with how
// the child ended (its exit status or signal) and the last lines of its stderr. FIRST_CASE
// (default 0) makes the same damage as a full run but runs only cases FIRST_CASE..COUNT-1, so
// that one case of a seed reproduces quickly. Prints the counts every 500 cases to stderr;
// SIGTERM ends the run early, with the counts so far. Prints the counts; exits 1 when any case failed.
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <functional>
#include <iterator>
#include <sstream>
#include <string>

#include "tests/fuzz/fuzz_cases.h"

namespace {

using namespace sonotype;
namespace fs = std::filesystem;

constexpr int kOk = 0, kRefused = 3, kBadAnswer = 4;  // the child's exit status

fuzz::Bytes read_bytes(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), {}};
}

void write_bytes(const fs::path& path, const fuzz::Bytes& bytes) {
  std::ofstream(path, std::ios::binary | std::ios::trunc)
      .write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
}

std::string read_text(const fs::path& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// The child: one case, its outcome as the exit status.
[[noreturn]] void run_child(const std::function<fuzz::Outcome()>& run_case, unsigned timeout) {
  alarm(timeout);
  try {
    const fuzz::Outcome outcome = run_case();
    std::_Exit(outcome == fuzz::Outcome::ok ? kOk : kRefused);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "escaped: %s\n", e.what());
    std::fflush(stderr);  // after freopen, stderr may be buffered, and _Exit flushes nothing
    std::_Exit(kBadAnswer);
  }
}

// How a child ended, in words: "exit status N", "killed by signal N (NAME)".
std::string describe_status(int status) {
  if (WIFEXITED(status)) return "exit status " + std::to_string(WEXITSTATUS(status));
  if (WIFSIGNALED(status)) {
    const int sig = WTERMSIG(status);
    return "killed by signal " + std::to_string(sig) + " (" + strsignal(sig) + ")";
  }
  return "wait status " + std::to_string(status);
}

// The last `keep` non-empty lines of a child's stderr, joined by " | ", or "(empty)".
std::string tail(const std::string& report, std::size_t keep = 4) {
  std::vector<std::string> lines;
  std::istringstream in(report);
  for (std::string line; std::getline(in, line);)
    if (!line.empty()) lines.push_back(line);
  if (lines.empty()) return "(empty)";
  std::string joined;
  for (std::size_t i = lines.size() > keep ? lines.size() - keep : 0; i < lines.size(); ++i)
    joined += (joined.empty() ? "" : " | ") + lines[i];
  return joined;
}

struct Counts {
  long cases = 0, ok = 0, refused = 0, crashes = 0, hangs = 0, sanitizer = 0;
};

void print_counts(std::FILE* to, const std::string& mode, std::uint64_t seed, const Counts& n) {
  std::fprintf(to, "%s fuzz, seed %llu: %ld cases, %ld ok, %ld refused, %ld crashes, %ld hangs, %ld sanitizer reports\n",
               mode.c_str(), static_cast<unsigned long long>(seed), n.cases, n.ok, n.refused, n.crashes, n.hangs,
               n.sanitizer);
  std::fflush(to);
}

// SIGTERM or SIGINT ends the run after the current case, with the counts so far.
volatile std::sig_atomic_t stop_requested = 0;
void request_stop(int) { stop_requested = 1; }

}  // namespace

int main(int argc, char** argv) {
  if (argc < 5) {
    std::fprintf(stderr, "usage: %s audio|blob|writers COUNT SEED OUT_DIR [TIMEOUT_S [FIRST_CASE]]\n", argv[0]);
    return 2;
  }
  const std::string mode = argv[1];
  const long count = std::atol(argv[2]);
  const std::uint64_t seed = std::strtoull(argv[3], nullptr, 10);
  const fs::path out = argv[4];
  const unsigned timeout = argc > 5 ? static_cast<unsigned>(std::atoi(argv[5])) : 60;
  const long first_case = argc > 6 ? std::atol(argv[6]) : 0;
  if (mode != "audio" && mode != "blob" && mode != "writers") {
    std::fprintf(stderr, "mode must be audio, blob or writers\n");
    return 2;
  }
  fs::create_directories(out / "crashes");

  const fuzz::Bytes model_bytes = read_bytes(fs::path(SONOTYPE_SOURCE_DIR) / "models/gtzan.sono");
  const GenreModel model = GenreModel::from_bytes(model_bytes);
  std::vector<fuzz::Seed> seeds;
  if (mode == "audio") seeds = fuzz::make_audio_seeds(out / "seeds");
  else seeds = {{".sono", model_bytes}};

  fuzz::Mutator mutator(seed);
  Counts n;
  std::signal(SIGTERM, request_stop);
  std::signal(SIGINT, request_stop);
  for (long i = 0; i < count && !stop_requested; ++i) {
    fuzz::Bytes bytes;  // the input, kept when the case fails
    std::string extension;
    std::function<fuzz::Outcome()> run_case;
    const fs::path input = out / "case", err = out / "case.stderr";
    if (mode == "writers") {
      const fuzz::WriterCase c = fuzz::make_writer_case(mutator, out / "writers", model.labels());
      const std::string text = fuzz::describe(c);
      bytes.assign(text.begin(), text.end());
      extension = ".txt";
      run_case = [c] { return fuzz::writers_case(c); };
    } else {
      const fuzz::Seed& s = mode == "audio" ? fuzz::seed_for_case(seeds, i) : seeds.front();
      bytes = s.bytes;
      mutator.mutate(bytes);
      if (mode == "blob" && mutator.below(2)) fuzz::reseal(bytes);
      extension = s.extension;
      const fs::path file = input.string() + extension;
      if (mode == "audio") run_case = [&model, file] { return fuzz::audio_case(model, file); };
      else run_case = [file] { return fuzz::blob_case(read_bytes(file)); };
    }
    if (i < first_case) continue;  // the case is made all the same: case i is the same as in a full run
    if (n.cases > 0 && n.cases % 500 == 0) print_counts(stderr, mode, seed, n);
    write_bytes(input.string() + extension, bytes);

    std::fflush(nullptr);
    const pid_t child = fork();
    if (child == 0) {
      if (!std::freopen(err.c_str(), "w", stderr)) std::_Exit(kBadAnswer);
      run_child(run_case, timeout);
    }
    int status = 0;
    waitpid(child, &status, 0);
    ++n.cases;
    const std::string report = read_text(err);
    const bool sanitizer = report.find("Sanitizer") != std::string::npos || report.find("runtime error:") != std::string::npos;
    const bool hang = WIFSIGNALED(status) && WTERMSIG(status) == SIGALRM;
    const int code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    if (!sanitizer && code == kOk) { ++n.ok; continue; }
    if (!sanitizer && code == kRefused) { ++n.refused; continue; }
    const char* what = sanitizer ? "sanitizer" : hang ? "hang" : "crash";
    ++(sanitizer ? n.sanitizer : hang ? n.hangs : n.crashes);
    const fs::path kept = out / "crashes" / (std::string(what) + "-" + std::to_string(seed) + "-" + std::to_string(i) + extension);
    write_bytes(kept, bytes);
    const std::string ended = describe_status(status);
    write_bytes(kept.string() + ".stderr", fuzz::Bytes(report.begin(), report.end()));
    write_bytes(kept.string() + ".status", fuzz::Bytes(ended.begin(), ended.end()));
    std::printf("case %ld: %s (%s), kept as %s; stderr: %s\n", i, what, ended.c_str(), kept.c_str(), tail(report).c_str());
    std::fprintf(stderr, "case %ld: %s (%s), kept as %s\n", i, what, ended.c_str(), kept.c_str());
  }
  if (stop_requested) std::fprintf(stderr, "stopped early, after %ld of %ld cases\n", n.cases, count);
  print_counts(stdout, mode, seed, n);
  return n.crashes + n.hangs + n.sanitizer > 0 ? 1 : 0;
}
