#pragma once
// Whole files as bytes, for the commands that read model blobs and interchange JSON.
#include <cstdint>
#include <filesystem>
#include <span>
#include <vector>

namespace sonotype::cli {

// The contents of `path`. Throws std::runtime_error saying why ("no such file") when it is
// missing, is not a regular file, cannot be read, or is larger than `max_bytes`; callers add the name.
std::vector<std::uint8_t> read_file_bytes(const std::filesystem::path& path, std::uintmax_t max_bytes = 1u << 30);

// Writes `bytes` to `path` (replacing it). Throws std::runtime_error naming the file on failure.
void write_file_bytes(const std::filesystem::path& path, std::span<const std::uint8_t> bytes);

}  // namespace sonotype::cli
