#pragma once
// Running median filters along one axis of a matrix, after scipy.ndimage.median_filter as
// librosa.decompose.hpss uses it (scipy 1.10).
#include <Eigen/Core>

namespace sonotype {

// scipy.ndimage.median_filter(S, size=(size_rows, size_cols), mode="reflect") for a window that
// extends along one axis only: size_rows == 1 filters along each row (time, in a spectrogram),
// size_cols == 1 along each column (frequency). The window must be odd, so that the result is
// its middle element (scipy's rank size // 2). Positions beyond the edges mirror the line with
// the edge sample repeated (d c b a | a b c d | d c b a), periodically when the window is longer
// than the line. Same shape as S; S is filtered in place, so pass it with std::move when it is
// no longer needed. Throws std::invalid_argument for other window shapes.
//
// scipy 1.10 itself maps positions 2 or more periods before the start of a line to the sample
// before the line, outside the array (with a window of 31: lines of 2 or 3 samples, i.e. HPSS of
// 512 to 1535 samples of audio); this function keeps to the mirrored line there.
Eigen::MatrixXf median_filter(Eigen::MatrixXf S, int size_rows, int size_cols);

}  // namespace sonotype
