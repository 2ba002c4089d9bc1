#include "core/model/blob.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>

#include "core/model/byte_io.h"
#include "core/model/crc32.h"
#include "core/model/half.h"
#include "core/model/model_error.h"

namespace sonotype::model {
namespace {

constexpr std::string_view kMagic = "SONO";
constexpr std::size_t kHeaderSize = 24;  // magic, version, total size, 2 counts, data offset
constexpr std::size_t kChecksumSize = 4;
constexpr std::size_t kMaxRank = 4;

// Metadata type tags as stored.
enum class MetaType : std::uint8_t { integer = 1, real = 2, text = 3, texts = 4 };

[[noreturn]] void fail(const std::string& message) { throw ModelError("model blob: " + message); }

std::string quoted(std::string_view name) {
  std::string out = "'";  // (built by appending: GCC 12 warns falsely about "'" + std::string)
  return (out += name) += "'";
}

std::string hex32(std::uint32_t v) {
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "0x%08x", static_cast<unsigned>(v));
  return buffer;
}

// Bytes shown as a C string literal, so that a wrong magic is recognisable ("PK\x03\x04").
std::string escaped(std::span<const std::uint8_t> bytes) {
  std::string out = "\"";
  for (const std::uint8_t b : bytes) {
    if (b >= 0x20 && b < 0x7f && b != '"' && b != '\\') {
      out += static_cast<char>(b);
    } else {
      char buffer[8];
      std::snprintf(buffer, sizeof buffer, "\\x%02x", static_cast<unsigned>(b));
      out += buffer;
    }
  }
  return out + "\"";
}

std::uint32_t read_u32_at(std::span<const std::uint8_t> bytes, std::size_t at) {
  return ByteReader(bytes.subspan(at, 4), at, "header").u32();
}

bool is_dtype(std::uint8_t code) { return code >= 1 && code <= 5; }

// ---- writing -----------------------------------------------------------------------------

void write_name(ByteWriter& out, const std::string& name, std::string_view what) {
  if (name.empty() || name.size() > std::numeric_limits<std::uint16_t>::max())
    fail(std::string(what) + " names must have 1 to 65535 bytes, got " + std::to_string(name.size()));
  out.u16(static_cast<std::uint16_t>(name.size()));
  out.bytes({reinterpret_cast<const std::uint8_t*>(name.data()), name.size()});
}

void write_text(ByteWriter& out, const std::string& text) {
  out.u32(static_cast<std::uint32_t>(text.size()));
  out.bytes({reinterpret_cast<const std::uint8_t*>(text.data()), text.size()});
}

void write_meta(ByteWriter& out, const MetaEntry& entry) {
  write_name(out, entry.key, "metadata");
  out.u8(static_cast<std::uint8_t>(entry.value.index() + 1));  // MetaType follows the variant order
  if (const auto* i = std::get_if<std::int64_t>(&entry.value)) {
    out.u64(static_cast<std::uint64_t>(*i));
  } else if (const auto* r = std::get_if<double>(&entry.value)) {
    out.f64(*r);
  } else if (const auto* t = std::get_if<std::string>(&entry.value)) {
    write_text(out, *t);
  } else {
    const auto& list = std::get<std::vector<std::string>>(entry.value);
    out.u32(static_cast<std::uint32_t>(list.size()));
    for (const auto& t : list) write_text(out, t);
  }
}

// One element as stored: checks that `dtype` can hold `v` (see write_blob).
void write_element(ByteWriter& out, const Tensor& t, std::size_t i) {
  const double v = t.values[i];
  const auto bad = [&](const char* why) {
    fail("tensor " + quoted(t.name) + " element " + std::to_string(i) + " (" + std::to_string(v) + ") " + why);
  };
  if (!std::isfinite(v)) bad("is not finite");
  switch (t.dtype) {
    case DType::f32:
      if (std::abs(v) > std::numeric_limits<float>::max()) bad("overflows f32");
      out.f32(static_cast<float>(v));
      break;
    case DType::f16:
      if (std::abs(v) > 65504.0) bad("overflows f16");
      // Via float: rounding twice can only move values within 2^-24 (relative) of a half-way point.
      out.u16(float_to_half(static_cast<float>(v)));
      break;
    case DType::i32:
      if (v != std::floor(v) || v < std::numeric_limits<std::int32_t>::min() || v > std::numeric_limits<std::int32_t>::max())
        bad("is not an i32");
      out.u32(static_cast<std::uint32_t>(static_cast<std::int32_t>(v)));
      break;
    case DType::u16:
      if (v != std::floor(v) || v < 0 || v > 65535) bad("is not a u16");
      out.u16(static_cast<std::uint16_t>(v));
      break;
    case DType::f64: out.f64(v); break;
  }
}

// ---- reading -----------------------------------------------------------------------------

std::string read_text(ByteReader& in) { return in.string(in.u32()); }

MetaEntry read_meta(ByteReader& in) {
  MetaEntry entry;
  entry.key = in.string(in.u16());
  if (entry.key.empty()) fail("metadata entry with an empty key at offset " + std::to_string(in.offset()));
  const std::uint8_t type = in.u8();
  switch (static_cast<MetaType>(type)) {
    case MetaType::integer: entry.value = static_cast<std::int64_t>(in.u64()); break;
    case MetaType::real: entry.value = in.f64(); break;
    case MetaType::text: entry.value = read_text(in); break;
    case MetaType::texts: {
      std::vector<std::string> list;
      // No reserve(count): a corrupt count must not allocate; each text consumes >= 4 bytes.
      for (std::uint32_t n = in.u32(); n > 0; --n) list.push_back(read_text(in));
      entry.value = std::move(list);
      break;
    }
    default: fail("metadata " + quoted(entry.key) + " has unknown type " + std::to_string(type));
  }
  return entry;
}

struct TableEntry {
  Tensor tensor;
  std::uint32_t stored_bytes = 0;
};

TableEntry read_table_entry(ByteReader& in, std::size_t blob_size) {
  TableEntry e;
  Tensor& t = e.tensor;
  t.name = in.string(in.u16());
  if (t.name.empty()) fail("tensor with an empty name at offset " + std::to_string(in.offset()));
  const std::uint8_t dtype = in.u8();
  if (!is_dtype(dtype)) fail("tensor " + quoted(t.name) + " has unknown dtype " + std::to_string(dtype));
  t.dtype = static_cast<DType>(dtype);
  const std::uint8_t rank = in.u8();
  if (rank > kMaxRank)
    fail("tensor " + quoted(t.name) + " has rank " + std::to_string(rank) + " (at most " + std::to_string(kMaxRank) + ")");
  std::uint64_t count = 1;
  for (std::uint8_t d = 0; d < rank; ++d) {
    t.shape.push_back(in.u32());
    count *= t.shape.back();
    // The data must fit in the blob, so a larger count is corrupt (and this bounds the product).
    if (count > blob_size)
      fail("tensor " + quoted(t.name) + " shape " + shape_string(t.shape) + " is larger than the blob");
  }
  t.offset = in.u32();
  e.stored_bytes = in.u32();
  if (e.stored_bytes != count * dtype_size(t.dtype))
    fail("tensor " + quoted(t.name) + " holds " + std::to_string(e.stored_bytes) + " bytes, but shape " +
         shape_string(t.shape) + " of " + std::string(dtype_name(t.dtype)) + " needs " +
         std::to_string(count * dtype_size(t.dtype)));
  return e;
}

double read_element(ByteReader& in, DType dtype) {
  switch (dtype) {
    case DType::f32: return bit_cast<float>(in.u32());
    case DType::f16: return half_to_float(in.u16());
    case DType::i32: return static_cast<std::int32_t>(in.u32());
    case DType::u16: return in.u16();
    case DType::f64: return in.f64();
  }
  return 0;  // unreachable: the dtype was validated
}

void read_tensor_data(std::span<const std::uint8_t> bytes, std::size_t data_begin, std::size_t data_end, Tensor& t) {
  const std::size_t size = t.byte_size();
  if (t.offset % kBlobAlignment != 0)
    fail("tensor " + quoted(t.name) + " data at offset " + std::to_string(t.offset) + " is misaligned (not a multiple of " +
         std::to_string(kBlobAlignment) + ")");
  if (t.offset < data_begin || t.offset > data_end || size > data_end - t.offset)
    fail("tensor " + quoted(t.name) + " data [" + std::to_string(t.offset) + ", " + std::to_string(std::uint64_t{t.offset} + size) +
         ") lies outside the data section [" + std::to_string(data_begin) + ", " + std::to_string(data_end) + ")");
  ByteReader in(bytes.subspan(t.offset, size), t.offset, "tensor " + quoted(t.name));
  t.values.resize(t.element_count());
  for (std::size_t i = 0; i < t.values.size(); ++i) {
    t.values[i] = read_element(in, t.dtype);
    if (!std::isfinite(t.values[i])) fail("tensor " + quoted(t.name) + " element " + std::to_string(i) + " is not finite");
  }
}

void check_unique_and_disjoint(const Blob& blob) {
  for (std::size_t i = 0; i < blob.metadata.size(); ++i)
    for (std::size_t j = 0; j < i; ++j)
      if (blob.metadata[i].key == blob.metadata[j].key) fail("duplicate metadata key " + quoted(blob.metadata[i].key));
  std::vector<const Tensor*> by_offset;
  for (const Tensor& t : blob.tensors) {
    if (blob.find_tensor(t.name) != &t) fail("duplicate tensor name " + quoted(t.name));
    if (t.byte_size() > 0) by_offset.push_back(&t);
  }
  std::stable_sort(by_offset.begin(), by_offset.end(), [](const Tensor* a, const Tensor* b) { return a->offset < b->offset; });
  for (std::size_t i = 1; i < by_offset.size(); ++i)
    if (by_offset[i - 1]->offset + by_offset[i - 1]->byte_size() > by_offset[i]->offset)
      fail("the data of tensors " + quoted(by_offset[i - 1]->name) + " and " + quoted(by_offset[i]->name) + " overlap");
}

template <class T>
const T& meta_as(const Blob& blob, std::string_view key, const char* type_name) {
  const MetaValue* value = blob.find_meta(key);
  if (!value) fail("missing metadata " + quoted(key));
  const T* typed = std::get_if<T>(value);
  if (!typed) fail("metadata " + quoted(key) + " is " + to_string(*value) + ", expected " + type_name);
  return *typed;
}

}  // namespace

std::string_view dtype_name(DType dtype) {
  switch (dtype) {
    case DType::f32: return "f32";
    case DType::f16: return "f16";
    case DType::i32: return "i32";
    case DType::u16: return "u16";
    case DType::f64: return "f64";
  }
  return "?";
}

std::size_t dtype_size(DType dtype) {
  switch (dtype) {
    case DType::f16:
    case DType::u16: return 2;
    case DType::f32:
    case DType::i32: return 4;
    case DType::f64: return 8;
  }
  return 0;  // unreachable: the dtype was validated
}

std::string to_string(const MetaValue& value) {
  if (const auto* i = std::get_if<std::int64_t>(&value)) return std::to_string(*i);
  if (const auto* r = std::get_if<double>(&value)) {
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%.17g", *r);
    return buffer;
  }
  if (const auto* t = std::get_if<std::string>(&value)) return "\"" + *t + "\"";
  std::string out = "[";
  for (const auto& t : std::get<std::vector<std::string>>(value)) out += (out.size() > 1 ? ", \"" : "\"") + t + "\"";
  return out + "]";
}

std::size_t Tensor::element_count() const {
  std::size_t n = 1;
  for (const auto d : shape) n *= d;
  return n;
}

std::string shape_string(const std::vector<std::uint32_t>& shape) {
  std::string out = "[";
  for (std::size_t i = 0; i < shape.size(); ++i) out += (i ? ", " : "") + std::to_string(shape[i]);
  return out + "]";
}

const MetaValue* Blob::find_meta(std::string_view key) const {
  for (const auto& entry : metadata)
    if (entry.key == key) return &entry.value;
  return nullptr;
}

const Tensor* Blob::find_tensor(std::string_view name) const {
  for (const auto& t : tensors)
    if (t.name == name) return &t;
  return nullptr;
}

std::int64_t Blob::integer(std::string_view key) const { return meta_as<std::int64_t>(*this, key, "an integer"); }

double Blob::real(std::string_view key) const {
  const MetaValue* value = find_meta(key);
  if (const auto* i = value ? std::get_if<std::int64_t>(value) : nullptr) return static_cast<double>(*i);
  return meta_as<double>(*this, key, "a number");
}

const std::string& Blob::text(std::string_view key) const { return meta_as<std::string>(*this, key, "a text"); }

const std::vector<std::string>& Blob::texts(std::string_view key) const {
  return meta_as<std::vector<std::string>>(*this, key, "a list of texts");
}

const Tensor& Blob::tensor(std::string_view name) const {
  const Tensor* t = find_tensor(name);
  if (!t) fail("missing tensor " + quoted(name));
  return *t;
}

std::vector<std::uint8_t> write_blob(const Blob& blob) {
  ByteWriter out;
  out.bytes({reinterpret_cast<const std::uint8_t*>(kMagic.data()), kMagic.size()});
  out.u32(blob.version);
  const std::size_t total_size_at = out.size();
  out.u32(0);
  out.u32(static_cast<std::uint32_t>(blob.metadata.size()));
  out.u32(static_cast<std::uint32_t>(blob.tensors.size()));
  const std::size_t data_offset_at = out.size();
  out.u32(0);

  for (const auto& entry : blob.metadata) write_meta(out, entry);
  std::vector<std::size_t> tensor_offset_at;
  for (const Tensor& t : blob.tensors) {
    if (t.values.size() != t.element_count())
      fail("tensor " + quoted(t.name) + " has " + std::to_string(t.values.size()) + " values for shape " + shape_string(t.shape));
    if (t.shape.size() > kMaxRank) fail("tensor " + quoted(t.name) + " has rank above " + std::to_string(kMaxRank));
    write_name(out, t.name, "tensor");
    out.u8(static_cast<std::uint8_t>(t.dtype));
    out.u8(static_cast<std::uint8_t>(t.shape.size()));
    for (const auto d : t.shape) out.u32(d);
    tensor_offset_at.push_back(out.size());
    out.u32(0);
    out.u32(static_cast<std::uint32_t>(t.byte_size()));
  }
  out.pad_to(kBlobAlignment);
  out.patch_u32(data_offset_at, static_cast<std::uint32_t>(out.size()));
  for (std::size_t i = 0; i < blob.tensors.size(); ++i) {
    out.pad_to(kBlobAlignment);
    out.patch_u32(tensor_offset_at[i], static_cast<std::uint32_t>(out.size()));
    for (std::size_t k = 0; k < blob.tensors[i].values.size(); ++k) write_element(out, blob.tensors[i], k);
  }
  if (out.size() + kChecksumSize > std::numeric_limits<std::uint32_t>::max()) fail("a blob must be smaller than 4 GiB");
  out.patch_u32(total_size_at, static_cast<std::uint32_t>(out.size() + kChecksumSize));
  std::vector<std::uint8_t> bytes = out.take();
  const std::uint32_t checksum = crc32(bytes);
  for (int i = 0; i < 4; ++i) bytes.push_back(static_cast<std::uint8_t>(checksum >> (8 * i)));
  return bytes;
}

Blob read_blob(std::span<const std::uint8_t> bytes) {
  if (bytes.size() < kHeaderSize + kChecksumSize)
    fail("truncated header (" + std::to_string(bytes.size()) + " bytes; a blob has at least " +
         std::to_string(kHeaderSize + kChecksumSize) + ")");
  if (!std::equal(kMagic.begin(), kMagic.end(), bytes.begin()))
    fail("bad magic " + escaped(bytes.first(4)) + " (expected \"SONO\": not a .sono model)");
  Blob blob;
  blob.version = read_u32_at(bytes, 4);
  if (blob.version == 2)
    fail("format version 2 is an older Sonotype model, which this build does not read: convert its interchange JSON "
         "again with `sonotype convert MODEL.json MODEL.sono` (it writes version " + std::to_string(kBlobVersion) + ")");
  if (blob.version < kOldestBlobVersion || blob.version > kBlobVersion)
    fail("unsupported format version " + std::to_string(blob.version) + " (this build reads versions " +
         std::to_string(kOldestBlobVersion) + " to " + std::to_string(kBlobVersion) + ")");
  const std::uint32_t total_size = read_u32_at(bytes, 8);
  if (total_size != bytes.size())
    fail((total_size > bytes.size() ? "truncated: header declares " : "size mismatch: header declares ") +
         std::to_string(total_size) + " bytes, got " + std::to_string(bytes.size()));
  const std::size_t checksum_at = bytes.size() - kChecksumSize;
  const std::uint32_t stored = read_u32_at(bytes, checksum_at);
  const std::uint32_t computed = crc32(bytes.first(checksum_at));
  if (stored != computed) fail("checksum mismatch (stored " + hex32(stored) + ", computed " + hex32(computed) + ")");
  blob.checksum = stored;

  const std::uint32_t metadata_count = read_u32_at(bytes, 12);
  const std::uint32_t tensor_count = read_u32_at(bytes, 16);
  const std::uint32_t data_offset = read_u32_at(bytes, 20);
  if (data_offset < kHeaderSize || data_offset > checksum_at || data_offset % kBlobAlignment != 0)
    fail("data section offset " + std::to_string(data_offset) + " is not a multiple of " + std::to_string(kBlobAlignment) +
         " in [" + std::to_string(kHeaderSize) + ", " + std::to_string(checksum_at) + "]");

  // The metadata and the tensor table lie between the header and the data section.
  ByteReader tables(bytes.subspan(kHeaderSize, data_offset - kHeaderSize), kHeaderSize, "");
  for (std::uint32_t i = 0; i < metadata_count; ++i) {
    tables.set_context("metadata entry " + std::to_string(i));
    blob.metadata.push_back(read_meta(tables));
  }
  for (std::uint32_t i = 0; i < tensor_count; ++i) {
    tables.set_context("tensor table entry " + std::to_string(i));
    TableEntry entry = read_table_entry(tables, bytes.size());
    read_tensor_data(bytes, data_offset, checksum_at, entry.tensor);
    blob.tensors.push_back(std::move(entry.tensor));
  }
  check_unique_and_disjoint(blob);
  return blob;
}

}  // namespace sonotype::model
