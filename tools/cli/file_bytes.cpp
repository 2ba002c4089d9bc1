#include "tools/cli/file_bytes.h"

#include <fstream>
#include <stdexcept>
#include <string>

namespace sonotype::cli {

std::vector<std::uint8_t> read_file_bytes(const std::filesystem::path& path, std::uintmax_t max_bytes) {
  const auto fail = [](const std::string& why) { throw std::runtime_error(why); };
  std::error_code error;
  if (!std::filesystem::is_regular_file(path, error)) fail(std::filesystem::exists(path, error) ? "not a regular file" : "no such file");
  const std::uintmax_t size = std::filesystem::file_size(path, error);
  if (error) fail("cannot read: " + error.message());
  if (size > max_bytes) fail("too large (" + std::to_string(size) + " bytes)");
  std::vector<std::uint8_t> bytes(static_cast<std::size_t>(size));
  std::ifstream in(path, std::ios::binary);
  if (!in.read(reinterpret_cast<char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()))) fail("cannot read");
  return bytes;
}

void write_file_bytes(const std::filesystem::path& path, std::span<const std::uint8_t> bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
  if (!out.flush()) throw std::runtime_error("cannot write " + path.string());
}

}  // namespace sonotype::cli
