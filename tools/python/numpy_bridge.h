#pragma once
// Between numpy arrays and the core's types, without copying where the layouts allow it.
//
// Results: the core's Eigen matrices and std::vectors are moved to the heap and handed to numpy
// with a capsule that frees them, so the array *is* the core's buffer. Eigen is column-major,
// so matrices come out Fortran-ordered, as librosa's stft does; values and shapes are librosa's.
// Inputs: a float32 array that is already contiguous is read in place; anything else (float64,
// strided views) is converted once by pybind11.
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>  // std::optional arguments: None or a value

#include <Eigen/Core>
#include <complex>
#include <span>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

namespace sonotype::python {

namespace py = pybind11;

// A mono signal: 1-D, float32, C-contiguous (converted when it is not).
using AudioArray = py::array_t<float, py::array::c_style | py::array::forcecast>;

// A real 2-D matrix in Eigen's column order (converted when it is not).
using MatrixArray = py::array_t<float, py::array::f_style | py::array::forcecast>;

// A complex64 2-D matrix (a spectrogram) in Eigen's column order.
using ComplexArray = py::array_t<std::complex<float>, py::array::f_style | py::array::forcecast>;

// The samples of `y`, checked to be one channel. The span stays valid while `y` lives.
inline std::span<const float> samples(const AudioArray& y) {
  if (y.ndim() != 1)
    throw py::value_error("audio must be mono: a 1-D array of samples, not " + std::to_string(y.ndim()) + "-D");
  return {y.data(), static_cast<std::size_t>(y.shape(0))};
}

// `m` as an Eigen matrix of its scalar type (one copy: the core's functions take Eigen matrices).
template <class Matrix, class Array>
Matrix to_eigen(const Array& m, const char* what) {
  if (m.ndim() != 2) throw py::value_error(std::string(what) + " must be a 2-D array, not " + std::to_string(m.ndim()) + "-D");
  return Eigen::Map<const Matrix>(m.data(), m.shape(0), m.shape(1));
}

// Hands `owner`'s buffer (`data`, of `shape` and byte `strides`) to numpy, which frees `owner`.
template <class Owner, class T>
py::array adopt(Owner* owner, T* data, std::vector<py::ssize_t> shape, std::vector<py::ssize_t> strides) {
  py::capsule free_owner(owner, [](void* p) { delete static_cast<Owner*>(p); });
  return py::array_t<T>(std::move(shape), std::move(strides), data, free_owner);
}

// An Eigen matrix as a 2-D array of the same shape (a row vector stays (1, n), librosa's shape
// for per-frame features).
template <class Matrix>
py::array to_numpy(Matrix&& m) {
  using M = std::decay_t<Matrix>;
  using T = typename M::Scalar;
  static_assert(!M::IsRowMajor || M::RowsAtCompileTime == 1, "column-major matrices only");
  auto* owner = new M(std::forward<Matrix>(m));
  const auto rows = static_cast<py::ssize_t>(owner->rows()), cols = static_cast<py::ssize_t>(owner->cols());
  const auto item = static_cast<py::ssize_t>(sizeof(T));
  return adopt(owner, owner->data(), {rows, cols}, {item, item * rows});
}

// A vector as a 1-D array.
template <class T>
py::array to_numpy(std::vector<T>&& v) {
  auto* owner = new std::vector<T>(std::move(v));
  return adopt(owner, owner->data(), {static_cast<py::ssize_t>(owner->size())}, {static_cast<py::ssize_t>(sizeof(T))});
}

}  // namespace sonotype::python
