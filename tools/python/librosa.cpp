// The librosa 0.8.1 functions researchers call most, with librosa's names, defaults, dtypes and
// shapes, computed by the core (each core function's comment says what it matches):
//   stft, melspectrogram, mfcc, chroma_stft, hpss, onset_strength, tempo.
// Like librosa's, the spectral functions take either the waveform y or a precomputed spectrogram S.
#include <optional>
#include <string>

#include "core/beat.h"
#include "core/decompose.h"
#include "core/effects.h"
#include "core/feature/spectral.h"
#include "core/onset.h"
#include "core/spectrum.h"
#include "core/util.h"
#include "tools/python/bindings.h"
#include "tools/python/numpy_bridge.h"

namespace sonotype::python {
namespace {

using std::optional;

// The samples of y, refused as librosa.util.valid_audio refuses them.
std::span<const float> audio_of(const AudioArray& y) {
  const std::span<const float> s = samples(y);
  check_audio(s);
  return s;
}

StftParams stft_params(int n_fft, int hop_length, bool center = true) {
  if (n_fft < 2 || n_fft % 2) throw py::value_error("n_fft must be an even number of at least 2, not " + std::to_string(n_fft));
  if (hop_length < 1) throw py::value_error("hop_length must be positive, not " + std::to_string(hop_length));
  return {n_fft, hop_length, center};
}

// Exactly one of y and S, as librosa asks.
void one_input(const optional<AudioArray>& y, const optional<MatrixArray>& S) {
  if (y.has_value() == S.has_value()) throw py::value_error("give either the audio y or a spectrogram S, not both or neither");
}

// librosa's _spectrogram(y, n_fft, hop_length, power=2): the power spectrogram |stft(y)|^2.
Eigen::MatrixXf power_of(std::span<const float> y, const StftParams& p) {
  return feature::power_spectrogram(feature::magnitude_spectrogram(stft(y, p)));
}

// The log-power mel spectrogram librosa.feature.mfcc and onset_strength start from.
Eigen::MatrixXf log_mel_of(std::span<const float> y, double sr, const StftParams& p, int n_mels) {
  return power_to_db(feature::melspectrogram(power_of(y, p), sr, n_mels));
}

onset::Aggregate aggregate_of(const py::object& aggregate) {
  // librosa takes a function (np.mean, np.median); its name, or the name as a string, is enough.
  const std::string name = py::isinstance<py::str>(aggregate) ? aggregate.cast<std::string>()
                                                              : py::str(aggregate.attr("__name__")).cast<std::string>();
  if (name == "mean") return onset::Aggregate::mean;
  if (name == "median") return onset::Aggregate::median;
  throw py::value_error("aggregate must be np.mean or np.median ('mean' or 'median'), not " + name);
}

}  // namespace

void add_librosa(py::module_& m) {
  using namespace pybind11::literals;

  m.def(
      "stft",
      [](const AudioArray& y, int n_fft, optional<int> hop_length, bool center) {
        const auto audio = audio_of(y);
        const StftParams p = stft_params(n_fft, hop_length.value_or(n_fft / 4), center);
        py::gil_scoped_release release;
        Spectrogram D = stft(audio, p);
        py::gil_scoped_acquire acquire;
        return to_numpy(std::move(D));
      },
      "y"_a, "n_fft"_a = 2048, "hop_length"_a = py::none(), py::kw_only(), "center"_a = true,
      "librosa.stft(y, n_fft, hop_length, window='hann', center, pad_mode='reflect'): complex64 of shape\n"
      "(1 + n_fft/2, 1 + len(y) // hop_length) when centred; hop_length defaults to n_fft // 4.");

  m.def(
      "melspectrogram",
      [](optional<AudioArray> y, double sr, optional<MatrixArray> S, int n_fft, int hop_length, int n_mels) {
        one_input(y, S);
        const StftParams p = stft_params(n_fft, hop_length);
        const auto audio = y ? audio_of(*y) : std::span<const float>();
        Eigen::MatrixXf power = S ? to_eigen<Eigen::MatrixXf>(*S, "S") : Eigen::MatrixXf();
        py::gil_scoped_release release;
        Eigen::MatrixXf mel = feature::melspectrogram(y ? power_of(audio, p) : power, sr, n_mels);
        py::gil_scoped_acquire acquire;
        return to_numpy(std::move(mel));
      },
      "y"_a = py::none(), "sr"_a = 22050.0, py::kw_only(), "S"_a = py::none(), "n_fft"_a = 2048, "hop_length"_a = 512,
      "n_mels"_a = 128,
      "librosa.feature.melspectrogram(y=y, sr=sr, S=S, n_fft, hop_length, n_mels): float32 (n_mels, n_frames).\n"
      "S is a power spectrogram (1 + n_fft/2, n_frames).");

  m.def(
      "mfcc",
      [](optional<AudioArray> y, double sr, optional<MatrixArray> S, int n_mfcc, int n_fft, int hop_length, int n_mels) {
        one_input(y, S);
        const StftParams p = stft_params(n_fft, hop_length);
        const auto audio = y ? audio_of(*y) : std::span<const float>();
        Eigen::MatrixXf log_mel = S ? to_eigen<Eigen::MatrixXf>(*S, "S") : Eigen::MatrixXf();
        py::gil_scoped_release release;
        if (y) log_mel = log_mel_of(audio, sr, p, n_mels);
        Eigen::MatrixXf coefficients = feature::mfcc(log_mel, n_mfcc);
        py::gil_scoped_acquire acquire;
        return to_numpy(std::move(coefficients));
      },
      "y"_a = py::none(), "sr"_a = 22050.0, py::kw_only(), "S"_a = py::none(), "n_mfcc"_a = 20, "n_fft"_a = 2048,
      "hop_length"_a = 512, "n_mels"_a = 128,
      "librosa.feature.mfcc(y=y, sr=sr, S=S, n_mfcc): float32 (n_mfcc, n_frames), DCT-II (ortho) of\n"
      "S = power_to_db(melspectrogram(y, sr)), or of the log-power mel spectrogram S given.");

  m.def(
      "chroma_stft",
      [](optional<AudioArray> y, double sr, optional<MatrixArray> S, int n_fft, int hop_length, optional<double> tuning,
         int n_chroma) {
        one_input(y, S);
        const StftParams p = stft_params(n_fft, hop_length);
        const auto audio = y ? audio_of(*y) : std::span<const float>();
        Eigen::MatrixXf power = S ? to_eigen<Eigen::MatrixXf>(*S, "S") : Eigen::MatrixXf();
        py::gil_scoped_release release;
        if (y) power = power_of(audio, p);
        Eigen::MatrixXf chroma = feature::chroma_stft(power, sr, tuning, n_chroma);
        py::gil_scoped_acquire acquire;
        return to_numpy(std::move(chroma));
      },
      "y"_a = py::none(), "sr"_a = 22050.0, py::kw_only(), "S"_a = py::none(), "n_fft"_a = 2048, "hop_length"_a = 512,
      "tuning"_a = py::none(), "n_chroma"_a = 12,
      "librosa.feature.chroma_stft(y=y, sr=sr, S=S, n_fft, hop_length, tuning, n_chroma): float32\n"
      "(n_chroma, n_frames), each frame scaled to a maximum of 1; the tuning is estimated when None.\n"
      "S is a power spectrogram.");

  m.def(
      "hpss",
      [](const py::object& y_or_D, int kernel_size) -> py::tuple {
        const py::array input = py::array::ensure(y_or_D);
        if (!input) throw py::value_error("hpss takes a float waveform y or a complex spectrogram D");
        if (input.dtype().kind() == 'c') {  // librosa.decompose.hpss(D)
          const Spectrogram D = to_eigen<Spectrogram>(ComplexArray::ensure(input), "D");
          if (kernel_size < 1 || kernel_size % 2 == 0)
            throw py::value_error("kernel_size must be odd and positive, not " + std::to_string(kernel_size));
          py::gil_scoped_release release;
          decompose::HarmonicPercussive parts = decompose::hpss(D, kernel_size);
          py::gil_scoped_acquire acquire;
          return py::make_tuple(to_numpy(std::move(parts.harmonic)), to_numpy(std::move(parts.percussive)));
        }
        if (kernel_size != 31)  // effects::hpss uses librosa's default, as the GTZAN features do
          throw py::value_error("hpss(y) uses kernel_size=31; pass the spectrogram stft(y) for another size");
        const AudioArray y = AudioArray::ensure(input);
        if (!y) throw py::value_error("hpss takes a float waveform y or a complex spectrogram D");
        const auto audio = audio_of(y);
        py::gil_scoped_release release;
        effects::HarmonicPercussive parts = effects::hpss(audio);
        py::gil_scoped_acquire acquire;
        return py::make_tuple(to_numpy(std::move(parts.harmonic)), to_numpy(std::move(parts.percussive)));
      },
      "y_or_D"_a, "kernel_size"_a = 31,
      "hpss(y): librosa.effects.hpss(y), the harmonic and percussive float32 waveforms, each len(y).\n"
      "hpss(D): librosa.decompose.hpss(D, kernel_size) of a complex64 spectrogram: (H, P), complex64.");

  m.def(
      "onset_strength",
      [](optional<AudioArray> y, double sr, optional<MatrixArray> S, const py::object& aggregate, int n_fft,
         int hop_length, int n_mels) {
        one_input(y, S);
        const StftParams p = stft_params(n_fft, hop_length);
        const onset::Aggregate how = aggregate_of(aggregate);
        const auto audio = y ? audio_of(*y) : std::span<const float>();
        Eigen::MatrixXf log_mel = S ? to_eigen<Eigen::MatrixXf>(*S, "S") : Eigen::MatrixXf();
        py::gil_scoped_release release;
        if (y) log_mel = log_mel_of(audio, sr, p, n_mels);
        std::vector<float> envelope = onset::onset_strength(log_mel, how, n_fft, hop_length);
        py::gil_scoped_acquire acquire;
        return to_numpy(std::move(envelope));
      },
      "y"_a = py::none(), "sr"_a = 22050.0, py::kw_only(), "S"_a = py::none(), "aggregate"_a = "mean",
      "n_fft"_a = 2048, "hop_length"_a = 512, "n_mels"_a = 128,
      "librosa.onset.onset_strength(y=y, sr=sr, S=S, aggregate): float32 (n_frames,), the spectral flux of\n"
      "S = power_to_db(melspectrogram(y)) (or the log-power mel spectrogram S given), aggregated over bands\n"
      "by np.mean (default) or np.median.");

  m.def(
      "tempo",
      [](optional<AudioArray> y, double sr, optional<AudioArray> onset_envelope, int hop_length, double start_bpm,
         double std_bpm, double ac_size, double max_tempo) {
        if (y.has_value() == onset_envelope.has_value())
          throw py::value_error("give either the audio y or an onset_envelope, not both or neither");
        const StftParams p = stft_params(2048, hop_length);
        const auto audio = y ? audio_of(*y) : std::span<const float>();
        const auto given = onset_envelope ? samples(*onset_envelope) : std::span<const float>();
        if (onset_envelope && given.empty()) throw py::value_error("onset_envelope is empty");
        const beat::TempoParams params{sr, hop_length, start_bpm, std_bpm, ac_size, max_tempo};
        double bpm = 0;
        {
          py::gil_scoped_release release;
          // librosa.beat.tempo computes its envelope with aggregate=np.median.
          const std::vector<float> envelope =
              y ? onset::onset_strength(log_mel_of(audio, sr, p, 128), onset::Aggregate::median, p.n_fft, hop_length)
                : std::vector<float>(given.begin(), given.end());
          bpm = beat::tempo(envelope, params);
        }
        return to_numpy(std::vector<double>{bpm});
      },
      "y"_a = py::none(), "sr"_a = 22050.0, py::kw_only(), "onset_envelope"_a = py::none(), "hop_length"_a = 512,
      "start_bpm"_a = 120.0, "std_bpm"_a = 1.0, "ac_size"_a = 8.0, "max_tempo"_a = 320.0,
      "librosa.beat.tempo(y=y, sr=sr, onset_envelope=..., aggregate=np.mean): float64 array of shape (1,),\n"
      "the global tempo in BPM.");
}

}  // namespace sonotype::python
