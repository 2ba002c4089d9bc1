// `sonotype`: librosa-compatible GTZAN features and genre classification from the command line.
#include <cstdio>
#include <exception>

#include "tools/cli/commands.h"

int main(int argc, char** argv) {
  CLI::App app{"Sonotype: music-genre classification with librosa-compatible features"};
  app.require_subcommand(1);
  sonotype::cli::add_features_command(app);
  sonotype::cli::add_classify_command(app);
  sonotype::cli::add_convert_command(app);
  sonotype::cli::add_inspect_command(app);
  sonotype::cli::add_bench_command(app);
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
