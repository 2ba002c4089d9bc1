// The .sono container (core/model/blob.h) against models/FORMAT.md: CRC-32 and binary16 against
// their standards, the writer against a blob assembled by hand from the spec, and the reader
// against every kind of damage.
#include <doctest/doctest.h>

#include <bit>
#include <cmath>
#include <cstring>
#include <limits>
#include <string>

#include "core/model/blob.h"
#include "core/model/crc32.h"
#include "core/model/half.h"
#include "core/model/model_error.h"
#include "tests/unit/model_support.h"

namespace {

using sonotype::ModelError;
using namespace sonotype::model;

std::span<const std::uint8_t> bytes_of(std::string_view s) { return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()}; }

// Appends little-endian values, to assemble blobs by hand.
struct Bytes {
  std::vector<std::uint8_t> b;
  void u8(unsigned v) { b.push_back(static_cast<std::uint8_t>(v)); }
  void u16(unsigned v) { u8(v & 0xff), u8(v >> 8); }
  void u32(std::uint32_t v) { u16(v & 0xffff), u16(v >> 16); }
  void u64(std::uint64_t v) { u32(static_cast<std::uint32_t>(v)), u32(static_cast<std::uint32_t>(v >> 32)); }
  void text(std::string_view s) { b.insert(b.end(), s.begin(), s.end()); }
};

// FORMAT.md, byte by byte, for metadata {"a": integer 7} and tensor "t" (f32, [2, 3], 1..6).
// Offsets of its fields, for the damage tests below:
constexpr std::size_t kMetaTypeAt = 27, kDtypeAt = 39, kRankAt = 40, kDim0At = 41, kTensorOffsetAt = 49,
                      kTensorSizeAt = 53, kDataAt = 64, kBlobSize = 92;
std::vector<std::uint8_t> spec_blob() {
  Bytes out;
  out.text("SONO");
  out.u32(4);          // version
  out.u32(kBlobSize);  // total size
  out.u32(1);          // metadata entries
  out.u32(1);          // tensors
  out.u32(kDataAt);    // data offset
  out.u16(1), out.text("a"), out.u8(1), out.u64(7);  // "a": integer 7
  out.u16(1), out.text("t"), out.u8(1), out.u8(2), out.u32(2), out.u32(3), out.u32(kDataAt), out.u32(24);
  out.b.resize(kDataAt, 0);
  for (float v : {1.f, 2.f, 3.f, 4.f, 5.f, 6.f}) out.u32(std::bit_cast<std::uint32_t>(v));
  out.u32(crc32(out.b));
  REQUIRE(out.b.size() == kBlobSize);
  return out.b;
}

Blob spec_blob_contents() {
  Blob blob;
  blob.metadata.push_back({"a", std::int64_t{7}});
  blob.tensors.push_back({"t", DType::f32, {2, 3}, {1, 2, 3, 4, 5, 6}});
  return blob;
}

void set_u32(std::vector<std::uint8_t>& b, std::size_t at, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) b[at + static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(v >> (8 * i));
}

// The message of the ModelError that reading `bytes` throws (the test fails if it does not).
std::string read_error(const std::vector<std::uint8_t>& bytes) {
  try {
    read_blob(bytes);
  } catch (const ModelError& e) {
    return e.what();
  }
  FAIL("read_blob accepted a damaged blob");
  return {};
}

// read_error after changing the blob with `damage` and resealing it (size and CRC made right),
// so that the checks behind the checksum are reached.
template <class Damage>
std::string resealed_error(Damage damage) {
  std::vector<std::uint8_t> b = spec_blob();
  damage(b);
  sonotype::test::reseal(b);
  return read_error(b);
}

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

}  // namespace

TEST_CASE("model blob: CRC-32 is zlib's (the standard check value)") {
  CHECK(crc32(bytes_of("123456789")) == 0xCBF43926u);
  CHECK(crc32(bytes_of("")) == 0u);
  CHECK(crc32(bytes_of("The quick brown fox jumps over the lazy dog")) == 0x414FA339u);
}

TEST_CASE("model blob: binary16 conversion rounds to nearest even") {
  struct Case {
    float value;
    std::uint16_t half;
  };
  for (const Case c : {Case{0.f, 0x0000}, {-0.f, 0x8000}, {1.f, 0x3c00}, {-2.f, 0xc000}, {0.1f, 0x2e66},
                       {65504.f, 0x7bff}, {65519.99f, 0x7bff}, {65520.f, 0x7c00}, {1e10f, 0x7c00},
                       {std::ldexp(1.f, -14), 0x0400}, {std::ldexp(1.f, -24), 0x0001}, {std::ldexp(1.f, -25), 0x0000},
                       {std::ldexp(1.5f, -25), 0x0001}, {std::ldexp(3.f, -25), 0x0002}, {std::ldexp(1023.5f, -24), 0x0400},
                       {1.f + std::ldexp(1.f, -11), 0x3c00}, {1.f + 3 * std::ldexp(1.f, -11), 0x3c02},
                       {std::numeric_limits<float>::infinity(), 0x7c00}, {-std::numeric_limits<float>::infinity(), 0xfc00},
                       {std::numeric_limits<float>::denorm_min(), 0x0000}}) {
    CAPTURE(c.value);
    CHECK(float_to_half(c.value) == c.half);
  }
  CHECK((float_to_half(std::numeric_limits<float>::quiet_NaN()) & 0x7fff) > 0x7c00);
  CHECK(std::isnan(half_to_float(0x7e00)));
  CHECK(half_to_float(0x0001) == std::ldexp(1.f, -24));
  CHECK(half_to_float(0x7bff) == 65504.f);
  CHECK(half_to_float(0xc000) == -2.f);
  // Every half survives the way to float and back.
  int changed = 0;
  for (unsigned h = 0; h <= 0xffff; ++h) {
    const auto half = static_cast<std::uint16_t>(h);
    changed += !std::isnan(half_to_float(half)) && float_to_half(half_to_float(half)) != half;
  }
  CHECK(changed == 0);
}

#ifdef __FLT16_MANT_DIG__
TEST_CASE("model blob: binary16 conversion agrees with the compiler's _Float16") {
  int decoded_differently = 0;
  for (unsigned h = 0; h <= 0xffff; ++h) {
    const auto half = static_cast<std::uint16_t>(h);
    const float theirs = static_cast<float>(std::bit_cast<_Float16>(half));
    decoded_differently += !std::isnan(theirs) && std::bit_cast<std::uint32_t>(half_to_float(half)) != std::bit_cast<std::uint32_t>(theirs);
  }
  CHECK(decoded_differently == 0);
  // Float bit patterns with a stride that visits every exponent and many mantissas of each.
  std::size_t compared = 0, encoded_differently = 0;
  for (std::uint64_t bits = 0; bits <= 0xffffffffu; bits += 997) {
    const float f = std::bit_cast<float>(static_cast<std::uint32_t>(bits));
    if (std::isnan(f)) continue;
    const bool differs = float_to_half(f) != std::bit_cast<std::uint16_t>(static_cast<_Float16>(f));
    if (differs && encoded_differently++ == 0) MESSAGE("first difference: float bits 0x" << std::hex << bits);
    ++compared;
  }
  MESSAGE(compared << " floats compared with _Float16");
  CHECK(encoded_differently == 0);
}
#endif

TEST_CASE("model blob: the writer lays the blob out as FORMAT.md says, byte for byte") {
  CHECK(write_blob(spec_blob_contents()) == spec_blob());
  const Blob blob = read_blob(spec_blob());
  CHECK(blob.integer("a") == 7);
  REQUIRE(blob.tensors.size() == 1);
  CHECK(blob.tensor("t").shape == std::vector<std::uint32_t>{2, 3});
  CHECK(blob.tensor("t").values == std::vector<double>{1, 2, 3, 4, 5, 6});
  CHECK(blob.tensor("t").offset == kDataAt);
  const std::vector<std::uint8_t> bytes = spec_blob();
  CHECK(blob.checksum == crc32(std::span(bytes).first(kBlobSize - 4)));
}

TEST_CASE("model blob: every metadata type and dtype survives writing and reading") {
  Blob blob;
  blob.metadata = {{"int", std::int64_t{-3}}, {"real", 0.25}, {"text", std::string("caf\xc3\xa9")},
                   {"texts", std::vector<std::string>{"a", "", "c"}}, {"empty", std::vector<std::string>{}}};
  blob.tensors = {{"f32", DType::f32, {3}, {0.1, -1e30, 7}},
                  {"f16", DType::f16, {2, 2}, {0.1, -65504, 1e-6, 3}},
                  {"i32", DType::i32, {3}, {-2147483648.0, 0, 2147483647.0}},
                  {"u16", DType::u16, {1, 1, 2}, {0, 65535}},
                  {"f64", DType::f64, {3}, {0.1, -1e300, 1.0 + 1e-15}},  // exactly: no float holds any of them
                  {"scalar", DType::f32, {}, {42}},
                  {"none", DType::u16, {0}, {}}};
  const Blob back = read_blob(write_blob(blob));
  CHECK(back.integer("int") == -3);
  CHECK(back.real("real") == 0.25);
  CHECK(back.real("int") == -3.0);
  CHECK(back.text("text") == "caf\xc3\xa9");
  CHECK(back.texts("texts") == std::vector<std::string>{"a", "", "c"});
  CHECK(back.texts("empty").empty());
  REQUIRE(back.tensors.size() == blob.tensors.size());
  for (std::size_t i = 0; i < blob.tensors.size(); ++i) {
    const Tensor &in = blob.tensors[i], &out = back.tensors[i];
    CAPTURE(in.name);
    CHECK(out.name == in.name);
    CHECK(out.dtype == in.dtype);
    CHECK(out.shape == in.shape);
    CHECK(out.offset % kBlobAlignment == 0);
    REQUIRE(out.values.size() == in.values.size());
    for (std::size_t k = 0; k < in.values.size(); ++k) {
      const float as_float = static_cast<float>(in.values[k]);
      const double stored = in.dtype == DType::f32   ? as_float
                            : in.dtype == DType::f16 ? half_to_float(float_to_half(as_float))
                                                     : in.values[k];
      CHECK(out.values[k] == stored);
    }
  }
  CHECK_THROWS_WITH_AS(back.integer("real"), "model blob: metadata 'real' is 0.25, expected an integer", ModelError);
  CHECK_THROWS_WITH_AS(back.text("missing"), "model blob: missing metadata 'missing'", ModelError);
  CHECK_THROWS_WITH_AS(back.tensor("missing"), "model blob: missing tensor 'missing'", ModelError);
}

TEST_CASE("model blob: the writer refuses values that its dtype cannot hold") {
  const auto write_error = [](Tensor t) {
    Blob blob;
    blob.tensors.push_back(std::move(t));
    try {
      write_blob(blob);
    } catch (const ModelError& e) {
      return std::string(e.what());
    }
    FAIL("write_blob accepted tensor " << blob.tensors[0].name);
    return std::string();
  };
  CHECK(contains(write_error({"x", DType::f32, {1}, {std::nan("")}}), "'x' element 0 (nan) is not finite"));
  CHECK(contains(write_error({"x", DType::f32, {1}, {1e39}}), "overflows f32"));
  CHECK(contains(write_error({"x", DType::f16, {2}, {1, 70000}}), "'x' element 1 (70000.000000) overflows f16"));
  CHECK(contains(write_error({"x", DType::u16, {1}, {-1}}), "is not a u16"));
  CHECK(contains(write_error({"x", DType::u16, {1}, {1.5}}), "is not a u16"));
  CHECK(contains(write_error({"x", DType::i32, {1}, {3e9}}), "is not an i32"));
  CHECK(contains(write_error({"x", DType::f32, {2, 2}, {1, 2, 3}}), "'x' has 3 values for shape [2, 2]"));
  CHECK(contains(write_error({"", DType::f32, {1}, {1}}), "tensor names must have 1 to 65535 bytes"));
}

TEST_CASE("model blob: a blob cut short at any length is refused, saying so") {
  const std::vector<std::uint8_t> blob = spec_blob();
  for (std::size_t n = 0; n < blob.size(); ++n) {
    CAPTURE(n);
    const std::string error = read_error({blob.begin(), blob.begin() + static_cast<std::ptrdiff_t>(n)});
    if (n < 28)
      CHECK(error == "model blob: truncated header (" + std::to_string(n) + " bytes; a blob has at least 28)");
    else
      CHECK(error == "model blob: truncated: header declares 92 bytes, got " + std::to_string(n));
  }
  std::vector<std::uint8_t> longer = blob;
  longer.push_back(0);
  CHECK(read_error(longer) == "model blob: size mismatch: header declares 92 bytes, got 93");
}

TEST_CASE("model blob: any flipped byte is caught, by the checksum behind the header") {
  const std::vector<std::uint8_t> blob = spec_blob();
  for (std::size_t at = 0; at < blob.size(); ++at) {
    CAPTURE(at);
    std::vector<std::uint8_t> damaged = blob;
    damaged[at] ^= 0x10;
    const std::string error = read_error(damaged);
    if (at < 4) CHECK(contains(error, "model blob: bad magic"));
    else if (at < 8) CHECK(contains(error, "model blob: unsupported format version"));
    else if (at < 12) CHECK(contains(error, "header declares"));
    else CHECK(contains(error, "model blob: checksum mismatch (stored 0x"));
  }
  std::vector<std::uint8_t> flipped = blob;
  flipped[70] ^= 1;
  char expected[96];
  std::snprintf(expected, sizeof expected, "model blob: checksum mismatch (stored 0x%08x, computed 0x%08x)",
                static_cast<unsigned>(crc32(std::span(blob).first(88))), static_cast<unsigned>(crc32(std::span(flipped).first(88))));
  CHECK(read_error(flipped) == expected);
}

TEST_CASE("model blob: wrong magic and wrong version name what they found") {
  std::vector<std::uint8_t> zip = spec_blob();
  std::memcpy(zip.data(), "PK\x03\x04", 4);
  CHECK(read_error(zip) == "model blob: bad magic \"PK\\x03\\x04\" (expected \"SONO\": not a .sono model)");
  CHECK(resealed_error([](auto& b) { set_u32(b, 4, 1); }) == "model blob: unsupported format version 1 (this build reads versions 3 to 4)");
  CHECK(resealed_error([](auto& b) { set_u32(b, 4, 0); }) == "model blob: unsupported format version 0 (this build reads versions 3 to 4)");
  CHECK(resealed_error([](auto& b) { set_u32(b, 4, 2); }) ==
        "model blob: format version 2 is an older Sonotype model, which this build does not read: convert its interchange "
        "JSON again with `sonotype convert MODEL.json MODEL.sono` (it writes version 4)");
  CHECK(resealed_error([](auto& b) { set_u32(b, 4, 5); }) == "model blob: unsupported format version 5 (this build reads versions 3 to 4)");
}

TEST_CASE("model blob: damaged tables behind a valid checksum are refused with the problem named") {
  CHECK(resealed_error([](auto& b) { b[kDtypeAt] = 9; }) == "model blob: tensor 't' has unknown dtype 9");
  CHECK(resealed_error([](auto& b) { b[kDtypeAt] = 0; }) == "model blob: tensor 't' has unknown dtype 0");
  CHECK(resealed_error([](auto& b) { b[kRankAt] = 9; }) == "model blob: tensor 't' has rank 9 (at most 4)");
  CHECK(resealed_error([](auto& b) { b[kMetaTypeAt] = 7; }) == "model blob: metadata 'a' has unknown type 7");
  CHECK(resealed_error([](auto& b) { set_u32(b, kTensorSizeAt, 20); }) ==
        "model blob: tensor 't' holds 20 bytes, but shape [2, 3] of f32 needs 24");
  CHECK(resealed_error([](auto& b) { set_u32(b, kDim0At, 3); }) ==
        "model blob: tensor 't' holds 24 bytes, but shape [3, 3] of f32 needs 36");
  CHECK(resealed_error([](auto& b) { b[kDtypeAt] = 2; }) == "model blob: tensor 't' holds 24 bytes, but shape [2, 3] of f16 needs 12");
  CHECK(resealed_error([](auto& b) { set_u32(b, kDim0At, 0xffffffffu); }) ==
        "model blob: tensor 't' shape [4294967295] is larger than the blob");
  CHECK(resealed_error([](auto& b) { set_u32(b, kTensorOffsetAt, 65); }) ==
        "model blob: tensor 't' data at offset 65 is misaligned (not a multiple of 64)");
  CHECK(resealed_error([](auto& b) { set_u32(b, kTensorOffsetAt, 128); }) ==
        "model blob: tensor 't' data [128, 152) lies outside the data section [64, 88)");
  CHECK(resealed_error([](auto& b) { set_u32(b, kTensorOffsetAt, 0); }) ==
        "model blob: tensor 't' data [0, 24) lies outside the data section [64, 88)");
  CHECK(resealed_error([](auto& b) { set_u32(b, kTensorOffsetAt, 0xffffffc0u); }) ==
        "model blob: tensor 't' data [4294967232, 4294967256) lies outside the data section [64, 88)");
  CHECK(resealed_error([](auto& b) { b.erase(b.begin() + 80, b.begin() + 84); }) ==
        "model blob: tensor 't' data [64, 88) lies outside the data section [64, 84)");
  CHECK(resealed_error([](auto& b) { set_u32(b, 20, 32); }) ==
        "model blob: data section offset 32 is not a multiple of 64 in [24, 88]");
  CHECK(resealed_error([](auto& b) { set_u32(b, 20, 128); }) ==
        "model blob: data section offset 128 is not a multiple of 64 in [24, 88]");
  CHECK(resealed_error([](auto& b) { set_u32(b, 16, 2); }) == "model blob: tensor with an empty name at offset 59");
  CHECK(resealed_error([](auto& b) { set_u32(b, 16, 2), b[57] = 9; }) ==
        "model blob: truncated tensor table entry 1 at offset 59 (needs 9 bytes, 5 left)");
  CHECK(resealed_error([](auto& b) { set_u32(b, 12, 0xffffffffu); }).starts_with("model blob: "));
  CHECK(resealed_error([](auto& b) { b[24] = 0xff; }) == "model blob: truncated metadata entry 0 at offset 26 (needs 255 bytes, 38 left)");
  CHECK(resealed_error([](auto& b) { std::memcpy(&b[kDataAt], "\x00\x00\xc0\x7f", 4); }) ==  // a NaN
        "model blob: tensor 't' element 0 is not finite");
}

TEST_CASE("model blob: duplicate names and overlapping data are refused") {
  Blob twice = spec_blob_contents();
  twice.tensors.push_back(twice.tensors[0]);
  CHECK(read_error(write_blob(twice)) == "model blob: duplicate tensor name 't'");
  twice = spec_blob_contents();
  twice.metadata.push_back(twice.metadata[0]);
  CHECK(read_error(write_blob(twice)) == "model blob: duplicate metadata key 'a'");

  Blob two = spec_blob_contents();
  two.tensors.push_back({"u", DType::f32, {2}, {1, 2}});
  std::vector<std::uint8_t> b = write_blob(two);
  const std::size_t u_offset_at = 57 + 2 + 1 + 1 + 1 + 4;  // after t's entry: name, dtype, rank, one extent
  REQUIRE(read_blob(b).tensor("t").offset == 128);  // the longer table moved the data section
  set_u32(b, u_offset_at, 128);
  sonotype::test::reseal(b);
  CHECK(read_error(b) == "model blob: the data of tensors 't' and 'u' overlap");
}
