#pragma once
// The .sono model blob (layout: models/FORMAT.md): typed key/value metadata plus named, typed,
// shaped tensors in one little-endian, 64-byte-aligned, CRC-32-checked byte string.
// This layer is a container and knows nothing about genres; GenreModel (model.h) gives the
// entries their meaning. No file I/O: the browser passes the bytes of a fetched Uint8Array.
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace sonotype::model {

// Version 4 adds f64 tensors and stores tree thresholds per split node; version 3 (still read:
// personal models kept by users are version 3) describes the model as the same graph of named
// nodes (models/FORMAT.md); version 2 held one fixed stacking ensemble, and version 1 lacked its
// Yeo-Johnson step.
inline constexpr std::uint32_t kBlobVersion = 4;
inline constexpr std::uint32_t kOldestBlobVersion = 3;  // the oldest version read_blob accepts
inline constexpr std::size_t kBlobAlignment = 64;  // every tensor's data starts at a multiple of this

enum class DType : std::uint8_t { f32 = 1, f16 = 2, i32 = 3, u16 = 4, f64 = 5 };  // f64: version 4
std::string_view dtype_name(DType dtype);  // "f32", "f16", "i32", "u16", "f64"
std::size_t dtype_size(DType dtype);       // bytes per element

// A metadata value: integer, real number, text, or list of texts.
using MetaValue = std::variant<std::int64_t, double, std::string, std::vector<std::string>>;
std::string to_string(const MetaValue& value);  // for display: 5, 0.25, "rbf", ["a", "b"]

struct MetaEntry {
  std::string key;
  MetaValue value;
};

struct Tensor {
  std::string name;
  DType dtype = DType::f32;
  std::vector<std::uint32_t> shape;  // row-major; {} is a scalar
  std::vector<double> values;        // element_count() values, encoded as `dtype` in the blob
  std::uint32_t offset = 0;          // where its data starts in the blob (filled in by read_blob)

  std::size_t element_count() const;
  std::size_t byte_size() const { return element_count() * dtype_size(dtype); }
};
std::string shape_string(const std::vector<std::uint32_t>& shape);  // "[1000, 57]"

struct Blob {
  std::uint32_t version = kBlobVersion;
  std::vector<MetaEntry> metadata;
  std::vector<Tensor> tensors;
  std::uint32_t checksum = 0;  // the verified CRC-32 (filled in by read_blob)

  // Typed look-ups; each throws ModelError naming the key when it is missing or of another type.
  std::int64_t integer(std::string_view key) const;
  double real(std::string_view key) const;  // an integer entry is accepted too
  const std::string& text(std::string_view key) const;
  const std::vector<std::string>& texts(std::string_view key) const;
  const Tensor& tensor(std::string_view name) const;
  const MetaValue* find_meta(std::string_view key) const;      // nullptr when absent
  const Tensor* find_tensor(std::string_view name) const;      // nullptr when absent
};

// Encodes `blob` (its `offset`s and `checksum` are ignored). Throws ModelError when a tensor's
// values do not match its shape or cannot be stored exactly enough in its dtype: non-finite
// values, f16 magnitudes above 65504, non-integers or out-of-range values for i32 and u16.
std::vector<std::uint8_t> write_blob(const Blob& blob);

// Decodes a blob held in memory, checking everything FORMAT.md requires (size, magic, version,
// checksum, table bounds, alignment, dtype, shape/size agreement, finite values). Throws
// ModelError whose message names the first problem; never reads outside `bytes` and never
// allocates more than a small multiple of bytes.size().
Blob read_blob(std::span<const std::uint8_t> bytes);

}  // namespace sonotype::model
