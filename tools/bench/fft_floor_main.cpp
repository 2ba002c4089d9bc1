// The FFT floor (tools/cli/fft_floor.h) in WebAssembly, for tools/bench-web.sh: built as
// build/wasm/sonotype_fft_floor.js (one file, for Node) and run there, since the module the page
// loads exports only the classifier's API.
#include <cstdio>

#include "tools/cli/fft_floor.h"

int main() {
  const std::size_t gtzan_clip = 661794;  // samples in a 30-s GTZAN clip
  const sonotype::cli::FftFloor f = sonotype::cli::time_fft_floor(gtzan_clip, 11);
  std::printf("%zu forward + %zu inverse real FFTs of 2048 points (KissFFT): %.1f + %.1f = %.1f ms\n", f.frames,
              f.frames, f.forward_ms, f.inverse_ms, f.forward_ms + f.inverse_ms);
}
