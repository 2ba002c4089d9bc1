// `sonotype`: librosa-compatible GTZAN features and genre classification from the command line.
#include <cstdio>
#include <exception>

#include "tools/cli/commands.h"

#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace {

// Every analysis window allocates the same few spectrogram-sized buffers (about 40 MB for 30 s).
// glibc hands blocks that large back to the kernel when they are freed, so each window of a long
// song or each file of a batch page-faults its memory in again: about 15% of the time. Keep
// freed memory for reuse instead (peak memory is unchanged: the same buffers are reused).
void keep_freed_memory() {
#if defined(__GLIBC__)
  mallopt(M_MMAP_THRESHOLD, 32 << 20);  // glibc's largest: blocks below 32 MB come from the heap
  mallopt(M_TRIM_THRESHOLD, 512 << 20);
#endif
}

}  // namespace

int main(int argc, char** argv) {
  keep_freed_memory();
  CLI::App app{"Sonotype: music-genre classification with librosa-compatible features"};
  app.set_version_flag("--version", "sonotype " SONOTYPE_VERSION);
  app.require_subcommand(1);
  sonotype::cli::add_features_command(app);
  sonotype::cli::add_classify_command(app);
  sonotype::cli::add_similar_command(app);
  sonotype::cli::add_convert_command(app);
  sonotype::cli::add_inspect_command(app);
  sonotype::cli::add_bench_command(app);
  sonotype::cli::add_train_command(app);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "sonotype: %s\n", e.what());
    return 1;
  }
  return 0;
}
