#pragma once
// Little-endian byte encoding for the .sono blob, independent of the host's byte order.
// ByteReader checks every read against the end of its span and throws ModelError naming what
// it was reading, so a corrupt length can never make the reader leave its input.
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "core/model/bit_cast.h"
#include "core/model/model_error.h"

namespace sonotype::model {

class ByteWriter {
 public:
  void u8(std::uint8_t v) { out_.push_back(v); }
  void u16(std::uint16_t v) { put(v, 2); }
  void u32(std::uint32_t v) { put(v, 4); }
  void u64(std::uint64_t v) { put(v, 8); }
  void f32(float v) { u32(bit_cast<std::uint32_t>(v)); }
  void f64(double v) { u64(bit_cast<std::uint64_t>(v)); }
  void bytes(std::span<const std::uint8_t> b) { out_.insert(out_.end(), b.begin(), b.end()); }
  void pad_to(std::size_t alignment) { out_.resize((out_.size() + alignment - 1) / alignment * alignment, 0); }
  // Overwrites 4 bytes written earlier (for sizes and offsets known only later).
  void patch_u32(std::size_t at, std::uint32_t v) {
    for (int i = 0; i < 4; ++i) out_[at + i] = static_cast<std::uint8_t>(v >> (8 * i));
  }
  std::size_t size() const { return out_.size(); }
  std::vector<std::uint8_t> take() { return std::move(out_); }

 private:
  void put(std::uint64_t v, int n) {
    for (int i = 0; i < n; ++i) out_.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
  }
  std::vector<std::uint8_t> out_;
};

class ByteReader {
 public:
  // `bytes` is a section of the blob that starts at `base_offset` (offsets in messages are
  // absolute); `context` names what is being read ("metadata entry 3") for error messages.
  ByteReader(std::span<const std::uint8_t> bytes, std::size_t base_offset, std::string context)
      : bytes_(bytes), base_(base_offset), context_(std::move(context)) {}

  void set_context(std::string context) { context_ = std::move(context); }
  std::size_t offset() const { return base_ + pos_; }
  std::size_t remaining() const { return bytes_.size() - pos_; }

  std::uint8_t u8() { return static_cast<std::uint8_t>(get(1)); }
  std::uint16_t u16() { return static_cast<std::uint16_t>(get(2)); }
  std::uint32_t u32() { return static_cast<std::uint32_t>(get(4)); }
  std::uint64_t u64() { return get(8); }
  double f64() { return bit_cast<double>(u64()); }
  std::span<const std::uint8_t> bytes(std::size_t n) {
    need(n);
    const auto b = bytes_.subspan(pos_, n);
    pos_ += n;
    return b;
  }
  std::string string(std::size_t n) {
    const auto b = bytes(n);
    return {b.begin(), b.end()};
  }

 private:
  void need(std::size_t n) const {
    if (n > remaining())
      throw ModelError("model blob: truncated " + context_ + " at offset " + std::to_string(offset()) +
                       " (needs " + std::to_string(n) + " bytes, " + std::to_string(remaining()) + " left)");
  }
  std::uint64_t get(int n) {
    need(static_cast<std::size_t>(n));
    std::uint64_t v = 0;
    for (int i = 0; i < n; ++i) v |= static_cast<std::uint64_t>(bytes_[pos_ + i]) << (8 * i);
    pos_ += static_cast<std::size_t>(n);
    return v;
  }

  std::span<const std::uint8_t> bytes_;
  std::size_t base_;
  std::size_t pos_ = 0;
  std::string context_;
};

}  // namespace sonotype::model
