#pragma once
// The parts of the `sonotype` Python module (module.cpp puts them together). Each computation
// runs with the GIL released, so Python threads calling the module run in parallel.
#include <pybind11/pybind11.h>

namespace sonotype::python {

void add_audio(pybind11::module_& m);     // audio.cpp:    load
void add_features(pybind11::module_& m);  // features.cpp: gtzan_features, FEATURE_NAMES
void add_librosa(pybind11::module_& m);   // librosa.cpp:  stft, melspectrogram, mfcc, chroma_stft, hpss, onset_strength, tempo
void add_model(pybind11::module_& m);     // model.cpp:    Model

}  // namespace sonotype::python
