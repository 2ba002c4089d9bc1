#pragma once
// Audio-level helpers of librosa.core.audio: down-mixing (to_mono) and resampling (resample, as
// librosa.load(path, sr=22050) applies it). librosa 0.8.1 resamples with resampy (0.4.2 in
// Debian 12): a band-limited sinc interpolation whose filter table is built here from its
// definition, so the same numbers come out natively and in WebAssembly.
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace sonotype {

// librosa.resample's res_type, i.e. resampy's pre-computed filters.
enum class ResampleFilter {
  kaiser_best,  // 50 zero crossings, 2^13 table entries per crossing, Kaiser beta 12.9846, roll-off 0.917347
  kaiser_fast,  // 24 zero crossings, 2^9 entries per crossing, Kaiser beta 9.90322, roll-off 0.868212
};

// The right half of resampy's interpolation filter (resampy.filters.sinc_window with a
// symmetric Kaiser window): entry k of zeros * 2^precision + 1 is
//   rolloff * sinc(rolloff * k / 2^precision) * I0(beta * sqrt(1 - (k / n)^2)) / I0(beta),
// n = zeros * 2^precision. Equals resampy's stored kaiser_best/kaiser_fast tables to ~3e-16.
std::vector<double> resample_filter_table(ResampleFilter filter);

// librosa.to_mono for interleaved frames: the float32 mean over channels of each frame
// (np.mean(y, axis=0), summing the channels in order). Returns size / channels samples.
std::vector<float> to_mono(std::span<const float> interleaved, int channels);

// librosa.resample(y, orig_sr, target_sr, res_type, fix=True, scale=False) fed in pieces, so
// that a file can be resampled while it is decoded without holding its samples.
// Output sample t is resampy.resample's: the input interpolated at t * orig_sr / target_sr with
// the filter, scaled by target_sr / orig_sr when downsampling, and with zeros taken for samples
// before the start and after the end (resampy's edge handling). resampy gives
// floor(n * target_sr / orig_sr) samples; librosa's fix_length then pads with zeros (or trims)
// to ceil(n * target_sr / orig_sr). Products and sums are in double and rounded to float32
// once, where resampy rounds its float32 accumulator after every tap: the two differ by well
// under 1e-6 for audio in [-1, 1]. Memory is the filter's phases plus a window of the input.
class Resampler {
 public:
  // Throws std::invalid_argument unless both rates are positive.
  Resampler(int orig_sr, int target_sr, ResampleFilter filter = ResampleFilter::kaiser_best);

  // Takes the next input samples and computes the outputs they complete.
  void push(std::span<const float> x);

  // Ends the input and returns the whole output: ceil(n * target_sr / orig_sr) samples, or the
  // input itself when the rates are equal. Throws std::invalid_argument when the input is too
  // short to give a sample (resampy refuses it). The object is spent afterwards.
  std::vector<float> finish();

 private:
  void emit_ready(std::int64_t available);  // computes the outputs whose taps are all in buffer_
  [[nodiscard]] std::int64_t output_count(std::int64_t inputs) const;  // resampy's floor count
  const double* weights(std::int64_t t, std::int64_t& first_input);    // output t's filter row

  int orig_sr_, target_sr_;
  bool same_rate_;
  // Output t = q * phases_ + p reads inputs from q * step_ + first_[p], with row p of rows_ (the
  // filter evaluated at that phase), taps_ weights per row. A rate pair whose period is too long
  // for a table (phases_ == 0) gets each row computed when needed, into rows_.
  std::int64_t phases_ = 0, step_ = 0;
  std::size_t taps_ = 0;
  std::vector<double> rows_;
  std::vector<std::int64_t> first_;
  std::vector<double> table_, delta_;  // resampy's scaled window and its differences (long periods only)
  double scale_ = 1, time_increment_ = 1;
  int lowest_tap_ = 0;  // the first tap's position relative to the interpolation point (<= 0)
  ResampleFilter filter_;

  std::vector<double> buffer_;  // input samples from position buffer_start_ on
  std::int64_t buffer_start_ = 0, inputs_ = 0, next_output_ = 0;
  std::int64_t period_ = 0, phase_ = 0;  // next_output_ = period_ * phases_ + phase_ (tabulated)
  std::vector<float> out_;
};

// librosa.resample(y, orig_sr, target_sr, res_type) for a whole signal (see Resampler).
std::vector<float> resample(std::span<const float> y, int orig_sr, int target_sr,
                            ResampleFilter filter = ResampleFilter::kaiser_best);

}  // namespace sonotype
