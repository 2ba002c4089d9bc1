#include "core/median_filter.h"

#include <algorithm>
#include <cstddef>
#include <cstring>
#include <limits>
#include <stdexcept>
#include <utility>
#include <vector>

#include "core/simd.h"

namespace sonotype {

namespace {

// kLanes lines are filtered side by side, in kVecs SIMD vectors of four. Every step is a
// lane-wise min or max, so all lanes do the same work and the medians are exact samples.
constexpr std::ptrdiff_t kVecs = 4;
constexpr std::ptrdiff_t kLanes = 4 * kVecs;

struct Row {
  simd::Float4 v[kVecs];  // one sample of each of the kLanes lines
};

Row lane_min(const Row& a, const Row& b) {
  Row r;
  for (std::ptrdiff_t i = 0; i < kVecs; ++i) r.v[i] = simd::min(a.v[i], b.v[i]);
  return r;
}

Row lane_max(const Row& a, const Row& b) {
  Row r;
  for (std::ptrdiff_t i = 0; i < kVecs; ++i) r.v[i] = simd::max(a.v[i], b.v[i]);
  return r;
}

Row load(const float* samples) {
  Row r;
  std::memcpy(&r, samples, sizeof r);
  return r;
}

// Index into a line of n samples for position q of its reflect-extended version (q may lie
// outside [0, n)): the extension is periodic with period 2n, mirrored in the second half.
std::ptrdiff_t reflect_index(std::ptrdiff_t q, std::ptrdiff_t n) {
  const std::ptrdiff_t period = 2 * n;
  std::ptrdiff_t m = q % period;
  if (m < 0) m += period;
  return m < n ? m : period - 1 - m;
}

// Batcher's odd-even merge sort for n elements: the compare-exchange pairs (i < j) of the
// network for the next power of two, keeping those within n (the others would only compare
// +inf padding).
std::vector<std::pair<std::ptrdiff_t, std::ptrdiff_t>> sorting_network(std::ptrdiff_t n) {
  std::ptrdiff_t size = 1;
  while (size < n) size *= 2;
  std::vector<std::pair<std::ptrdiff_t, std::ptrdiff_t>> pairs;
  for (std::ptrdiff_t p = 1; p < size; p *= 2)
    for (std::ptrdiff_t k = p; k >= 1; k /= 2)
      for (std::ptrdiff_t j = k % p; j + k < size; j += 2 * k)
        for (std::ptrdiff_t i = 0; i < k && i + j + k < size; ++i)
          if ((i + j) / (2 * p) == (i + j + k) / (2 * p) && i + j + k < n) pairs.emplace_back(i + j, i + j + k);
  return pairs;
}

// Medians of windows of 2 half + 1 samples, a block of B = half + 1 consecutive outputs at a
// time. In the block of outputs i0 .. i0 + B - 1 every window holds the core C, the B samples
// from position i0 + B - 1 of the extended line on (output i's window starts at position i).
// Output i0 + j adds the left samples i0 + j .. i0 + B - 2 and the j right samples
// i0 + 2 half + 1 .. i0 + 2 half + j. With M_j the sorted C and left samples and R_j the sorted
// right samples, the median, the (half+1)-th smallest of their union, is
//   min over b = 0..j of max(M_j[half - b], R_j[b - 1])   (R_j[-1] = -inf).
// Going from j = B - 1 (M = C) down to 0 inserts one left sample at a time into M, of which
// only M_j[half - j .. half] is ever read again. Per output this takes about 3 half min/max
// pairs, where a sorted window sliding one sample at a time needs a compare, a select, a min
// and a max at each of its 2 half + 1 positions.
class BlockMedian {
 public:
  explicit BlockMedian(std::ptrdiff_t width)
      : half_(width / 2),
        block_(half_ + 1),
        network_(sorting_network(block_)),
        sorted_(static_cast<std::size_t>(block_)),
        right_(static_cast<std::size_t>(block_ * (block_ - 1) / 2)) {}

  std::ptrdiff_t block() const { return block_; }

  // ext: the extended lines, lanes interleaved, blocks * B + 2 half positions of kLanes
  // samples; out: blocks * B positions of kLanes medians.
  void run(const float* ext, std::ptrdiff_t blocks, float* out) {
    for (std::ptrdiff_t b = 0; b < blocks; ++b) {
      const float* block_ext = ext + b * block_ * kLanes;
      if (b == 0 || block_ == 1) {
        sort_core(block_ext);
      } else {
        // This block's core is the previous block's right samples plus the one at 2 half.
        insert_sorted(right(block_ - 1), block_ - 1, load(block_ext + 2 * half_ * kLanes), sorted_.data());
      }
      filter_block(block_ext, out + b * block_ * kLanes);
    }
  }

 private:
  // R_j, j = 1 .. B-1, stored one after another.
  Row* right(std::ptrdiff_t j) { return right_.data() + j * (j - 1) / 2; }
  Row& sorted(std::ptrdiff_t k) { return sorted_[static_cast<std::size_t>(k)]; }

  // to[0 .. n] = from[0 .. n-1] with x inserted in order: position k takes
  // min(max(from[k-1], x), from[k]), where from[-1] = -inf and from[n] = +inf.
  static void insert_sorted(const Row* from, std::ptrdiff_t n, const Row& x, Row* to) {
    if (n == 0) {
      to[0] = x;
      return;
    }
    to[0] = lane_min(x, from[0]);
    for (std::ptrdiff_t k = 1; k < n; ++k) to[k] = lane_min(lane_max(from[k - 1], x), from[k]);
    to[n] = lane_max(from[n - 1], x);
  }

  void sort_core(const float* ext) {
    for (std::ptrdiff_t k = 0; k < block_; ++k) sorted(k) = load(ext + (block_ - 1 + k) * kLanes);
    for (const auto& [a, b] : network_) {
      const Row lo = lane_min(sorted(a), sorted(b));
      sorted(b) = lane_max(sorted(a), sorted(b));
      sorted(a) = lo;
    }
  }

  // The medians of one block, given its sorted core in M.
  void filter_block(const float* ext, float* out) {
    const auto at = [ext](std::ptrdiff_t position) { return load(ext + position * kLanes); };
    // R_j: the first j right samples, sorted.
    for (std::ptrdiff_t j = 1; j < block_; ++j) insert_sorted(right(j - 1), j - 1, at(2 * half_ + j), right(j));

    for (std::ptrdiff_t j = block_ - 1; j >= 0; --j) {
      if (j < block_ - 1) {
        const Row x = at(j);
        Row below = sorted(half_ - j - 1);
        for (std::ptrdiff_t k = half_ - j; k <= half_; ++k) {
          const Row old = sorted(k);
          sorted(k) = lane_min(lane_max(below, x), old);
          below = old;
        }
      }
      Row median = sorted(half_);
      const Row* r = right(j);
      for (std::ptrdiff_t b = 1; b <= j; ++b) median = lane_min(median, lane_max(sorted(half_ - b), r[b - 1]));
      std::memcpy(out + j * kLanes, &median, sizeof median);
    }
  }

  std::ptrdiff_t half_, block_;
  std::vector<std::pair<std::ptrdiff_t, std::ptrdiff_t>> network_;
  std::vector<Row> sorted_;  // M, ascending in each lane
  std::vector<Row> right_;   // R_1 .. R_{B-1}
};

// Copies lines first .. first + lanes - 1 of S, extended (position e is sample source[e], and
// sample i is at position half + i), into ext, lanes interleaved. Along rows a position of all
// lanes is one contiguous copy; along columns the lanes are read down their columns and
// transposed four by four.
void gather(const Eigen::MatrixXf& S, bool along_rows, std::ptrdiff_t first, std::ptrdiff_t lanes,
            const std::vector<std::ptrdiff_t>& source, std::ptrdiff_t half, float* ext) {
  const auto extended = static_cast<std::ptrdiff_t>(source.size());
  if (along_rows) {
    for (std::ptrdiff_t e = 0; e < extended; ++e) {
      const float* from = &S(first, source[static_cast<std::size_t>(e)]);
      if (lanes == kLanes) {  // a copy of constant size, inlined
        std::memcpy(ext + e * kLanes, from, sizeof(Row));
      } else {
        std::copy_n(from, lanes, ext + e * kLanes);
      }
    }
    return;
  }
  const std::ptrdiff_t n = S.rows();
  // Whole blocks of four lanes and four samples from the line's start (no reflection there).
  const std::ptrdiff_t vector_lanes = lanes - lanes % 4, vector_samples = n - n % 4;
  for (std::ptrdiff_t l = 0; l < vector_lanes; l += 4)
    for (std::ptrdiff_t r = 0; r < vector_samples; r += 4) {
      simd::Float4 a = simd::load(&S(r, first + l)), b = simd::load(&S(r, first + l + 1));
      simd::Float4 c = simd::load(&S(r, first + l + 2)), d = simd::load(&S(r, first + l + 3));
      simd::transpose(a, b, c, d);
      float* to = ext + (half + r) * kLanes + l;
      simd::store(to, a);
      simd::store(to + kLanes, b);
      simd::store(to + 2 * kLanes, c);
      simd::store(to + 3 * kLanes, d);
    }
  // The rest one sample at a time: the reflected ends, and all of any lanes left over.
  for (std::ptrdiff_t l = 0; l < lanes; ++l) {
    const float* column = S.col(first + l).data();
    const auto copy = [&](std::ptrdiff_t e) { ext[e * kLanes + l] = column[source[static_cast<std::size_t>(e)]]; };
    const bool whole = l >= vector_lanes;
    for (std::ptrdiff_t e = 0; e < (whole ? extended : half); ++e) copy(e);
    if (!whole)
      for (std::ptrdiff_t e = half + vector_samples; e < extended; ++e) copy(e);
  }
}

// Writes n positions of medians (lanes interleaved) back over lines first .. first + lanes - 1.
void scatter(const float* med, std::ptrdiff_t n, bool along_rows, std::ptrdiff_t first, std::ptrdiff_t lanes,
             Eigen::MatrixXf& S) {
  if (along_rows) {
    for (std::ptrdiff_t i = 0; i < n; ++i) {
      if (lanes == kLanes) {
        std::memcpy(&S(first, i), med + i * kLanes, sizeof(Row));
      } else {
        std::copy_n(med + i * kLanes, lanes, &S(first, i));
      }
    }
    return;
  }
  const std::ptrdiff_t vector_lanes = lanes - lanes % 4, vector_samples = n - n % 4;
  for (std::ptrdiff_t l = 0; l < vector_lanes; l += 4)
    for (std::ptrdiff_t i = 0; i < vector_samples; i += 4) {
      const float* from = med + i * kLanes + l;
      simd::Float4 a = simd::load(from), b = simd::load(from + kLanes);
      simd::Float4 c = simd::load(from + 2 * kLanes), d = simd::load(from + 3 * kLanes);
      simd::transpose(a, b, c, d);
      simd::store(&S(i, first + l), a);
      simd::store(&S(i, first + l + 1), b);
      simd::store(&S(i, first + l + 2), c);
      simd::store(&S(i, first + l + 3), d);
    }
  for (std::ptrdiff_t l = 0; l < lanes; ++l)
    for (std::ptrdiff_t i = l >= vector_lanes ? 0 : vector_samples; i < n; ++i) S(i, first + l) = med[i * kLanes + l];
}

}  // namespace

Eigen::MatrixXf median_filter(Eigen::MatrixXf S, int size_rows, int size_cols) {
  const bool along_rows = size_rows == 1;
  const int width = along_rows ? size_cols : size_rows;
  if ((size_rows != 1 && size_cols != 1) || width < 1 || width % 2 == 0)
    throw std::invalid_argument("the median filter window must be odd and extend along one axis");
  if (S.size() == 0) return S;

  // Each block of kLanes neighbouring lines (rows, or columns) is copied, extended by
  // reflection, into a lanes-interleaved buffer that the filter streams through; its medians
  // then overwrite those lines in S.
  BlockMedian filter(width);
  const std::ptrdiff_t half = width / 2;
  const std::ptrdiff_t n = along_rows ? S.cols() : S.rows();  // line length
  const std::ptrdiff_t lines = along_rows ? S.rows() : S.cols();
  // Whole blocks of outputs; those past n read further along the reflection and are dropped.
  const std::ptrdiff_t blocks = (n + filter.block() - 1) / filter.block();
  const std::ptrdiff_t extended = blocks * filter.block() + 2 * half;
  std::vector<float> ext(static_cast<std::size_t>(extended * kLanes), 0.0f);
  std::vector<float> med(static_cast<std::size_t>(blocks * filter.block() * kLanes));
  std::vector<std::ptrdiff_t> source(static_cast<std::size_t>(extended));
  for (std::ptrdiff_t e = 0; e < extended; ++e) source[static_cast<std::size_t>(e)] = reflect_index(e - half, n);

  for (std::ptrdiff_t first = 0; first < lines; first += kLanes) {
    const std::ptrdiff_t lanes = std::min(kLanes, lines - first);
    gather(S, along_rows, first, lanes, source, half, ext.data());
    filter.run(ext.data(), blocks, med.data());
    scatter(med.data(), n, along_rows, first, lanes, S);
  }
  return S;
}

}  // namespace sonotype
