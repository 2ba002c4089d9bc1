// `import sonotype`: librosa 0.8.1's GTZAN features, its building blocks and the genre model from
// Python, computed by the same C++ core as the command line and the page.
//
// Bad input raises ValueError with the command line's messages: audio files that cannot be read
// (naming the file), audio the features or the model refuse, and broken models.
#include <pybind11/pybind11.h>

#include "core/io/audio_file.h"
#include "core/model/model_error.h"
#include "tools/python/bindings.h"

PYBIND11_MODULE(sonotype, m) {
  namespace py = pybind11;
  m.doc() = "Music-genre features and classification, equal to librosa 0.8.1's (C++ core of Sonotype)";
  m.attr("__version__") = SONOTYPE_VERSION;
  // std::invalid_argument (audio the core refuses) is a ValueError already; so are these.
  py::register_exception_translator([](std::exception_ptr error) {
    try {
      if (error) std::rethrow_exception(error);
    } catch (const sonotype::AudioError& e) {
      PyErr_SetString(PyExc_ValueError, e.what());
    } catch (const sonotype::ModelError& e) {
      PyErr_SetString(PyExc_ValueError, e.what());
    }
  });
  sonotype::python::add_audio(m);
  sonotype::python::add_features(m);
  sonotype::python::add_librosa(m);
  sonotype::python::add_model(m);
}
