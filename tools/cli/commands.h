#pragma once
// The `sonotype` subcommands. Each registers itself on the CLI11 app and runs when chosen;
// a command that fails prints its own messages, then throws CLI::RuntimeError(status) so that
// main() exits with that status (CLI11 prints nothing more for it).
#include <CLI/CLI.hpp>

#include <string>

namespace sonotype {
class GenreModel;
}

namespace sonotype::cli {

void add_features_command(CLI::App& app);   // features.cpp: 57-feature CSV rows
void add_classify_command(CLI::App& app);   // classify.cpp: genre of each file
void add_convert_command(CLI::App& app);    // convert.cpp:  interchange JSON -> .sono blob
void add_inspect_command(CLI::App& app);    // inspect.cpp:  what a .sono blob holds
void add_bench_command(CLI::App& app);      // bench.cpp:    feature-extraction timings
void add_similar_command(CLI::App& app);    // similar.cpp:  "more like this"
void add_train_command(CLI::App& app);      // train.cpp:    a personal model from labelled songs

// classify.cpp: the model named by --model `option`, or the default one when it is empty, and
// in `model_path` where it was read. A problem is printed as "sonotype COMMAND: ..." and ends the
// command (CLI::RuntimeError(1)).
GenreModel load_cli_model(const std::string& option, const char* command, std::string& model_path);

}  // namespace sonotype::cli
