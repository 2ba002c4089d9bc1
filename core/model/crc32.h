#pragma once
// CRC-32 as zlib's crc32() and Python's zlib.crc32 compute it (IEEE 802.3: reflected polynomial
// 0xEDB88320, initial value and final XOR 0xFFFFFFFF), so any tool can verify a .sono blob.
#include <cstdint>
#include <span>

namespace sonotype::model {

std::uint32_t crc32(std::span<const std::uint8_t> bytes);

}  // namespace sonotype::model
