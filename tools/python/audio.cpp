// sonotype.load: audio files as librosa.load(path, sr, mono=True) reads them.
#include <pybind11/stl/filesystem.h>  // paths as str or os.PathLike

#include <filesystem>
#include <string>

#include "core/io/audio_file.h"
#include "tools/python/bindings.h"
#include "tools/python/numpy_bridge.h"

namespace sonotype::python {

void add_audio(py::module_& m) {
  using namespace pybind11::literals;
  m.def(
      "load",
      [](const std::filesystem::path& path, int sr) {
        if (sr <= 0) throw py::value_error("sr must be a positive sample rate, not " + std::to_string(sr));
        std::vector<float> y;
        {
          py::gil_scoped_release release;
          y = load_audio(path, sr);
        }
        return py::make_tuple(to_numpy(std::move(y)), sr);
      },
      "path"_a, "sr"_a = 22050,
      R"(librosa.load(path, sr=sr, mono=True): (y, sr) with y the float32 mono samples at sr Hz
(the mean of the channels, resampled when the file's rate differs). Unlike librosa's, it has no
sr=None (the file's own rate). Reads WAV, FLAC, OGG/Vorbis, Opus and MP3. Raises ValueError
naming the file when it is missing, cannot be decoded, is empty or lasts more than an hour.)");
}

}  // namespace sonotype::python
