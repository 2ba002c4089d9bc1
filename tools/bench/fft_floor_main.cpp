// The FFT floor (tools/cli/bench_timing.h) in WebAssembly, for tools/bench-web.sh: built as
// build/wasm/sonotype_fft_floor.js (one file, for Node) and run there, since the module the page
// loads exports only the classifier's API.
#include <cstdio>

#include "tools/cli/bench_timing.h"

int main() {
  const sonotype::cli::FftFloor f = sonotype::cli::time_fft_floor(sonotype::cli::kGtzanClipSamples, 11);
  std::printf("%zu forward + %zu inverse real FFTs of 2048 points (KissFFT): %.1f + %.1f = %.1f ms\n", f.frames,
              f.frames, f.forward_ms, f.inverse_ms, f.forward_ms + f.inverse_ms);
}
