// `sonotype inspect FILE`: what a .sono blob holds (models/FORMAT.md): header, metadata, tensor
// table, checksum, whether it is a usable genre model, and its graph (one node per line).
// Exits 1 when it is not a usable model.
#include <algorithm>
#include <cstdio>

#include "core/model/blob.h"
#include "core/model/model.h"
#include "tools/cli/commands.h"
#include "tools/cli/file_bytes.h"

namespace sonotype::cli {
namespace {

constexpr std::size_t kListItemsShown = 10;

// A metadata value on one line; long lists (the 57 feature names) show their first items.
std::string display(const model::MetaValue& value) {
  const auto* list = std::get_if<std::vector<std::string>>(&value);
  if (!list || list->size() <= kListItemsShown + 2) return model::to_string(value);
  const std::vector<std::string> head(list->begin(), list->begin() + kListItemsShown);
  std::string text = model::to_string(head);
  return text.substr(0, text.size() - 1) + ", ... (" + std::to_string(list->size()) + " in all)]";
}

void print_blob(const std::string& path, std::size_t size, const model::Blob& blob) {
  std::printf("%s: %zu bytes, magic \"SONO\", format version %u, CRC-32 0x%08x (verified)\n", path.c_str(), size,
              static_cast<unsigned>(blob.version), static_cast<unsigned>(blob.checksum));
  std::printf("\nmetadata (%zu entries):\n", blob.metadata.size());
  for (const auto& entry : blob.metadata) std::printf("  %-28s %s\n", entry.key.c_str(), display(entry.value).c_str());

  std::size_t name_width = 4;
  for (const auto& t : blob.tensors) name_width = std::max(name_width, t.name.size());
  std::printf("\ntensors (%zu):\n  %-*s  dtype  %-12s %10s %10s\n", blob.tensors.size(), static_cast<int>(name_width), "name",
              "shape", "bytes", "offset");
  std::size_t data_bytes = 0;
  for (const auto& t : blob.tensors) {
    std::printf("  %-*s  %-5s  %-12s %10zu %10u\n", static_cast<int>(name_width), t.name.c_str(),
                std::string(model::dtype_name(t.dtype)).c_str(), model::shape_string(t.shape).c_str(), t.byte_size(),
                static_cast<unsigned>(t.offset));
    data_bytes += t.byte_size();
  }
  std::printf("  tensor data %zu bytes, header/tables/padding/checksum %zu bytes\n", data_bytes, size - data_bytes);
}

void run_inspect(const std::string& path) {
  try {
    const std::vector<std::uint8_t> bytes = read_file_bytes(path);
    print_blob(path, bytes.size(), model::read_blob(bytes));
    const GenreModel model = GenreModel::from_bytes(bytes);
    std::printf("\nmodel: valid, %zu labels, %d Hz, %.1f-s windows; its graph:\n%s", model.labels().size(),
                model.pipeline().sample_rate, model.pipeline().window_seconds, model.outline().c_str());
  } catch (const std::runtime_error& e) {  // ModelError and file errors
    std::fprintf(stderr, "sonotype inspect: %s: %s\n", path.c_str(), e.what());
    throw CLI::RuntimeError(1);
  }
}

}  // namespace

void add_inspect_command(CLI::App& app) {
  auto path = std::make_shared<std::string>();
  CLI::App* cmd = app.add_subcommand("inspect", "Show what a .sono model blob holds and check it");
  cmd->add_option("file", *path, "The .sono blob")->required();
  cmd->callback([path] { run_inspect(*path); });
}

}  // namespace sonotype::cli
