#!/usr/bin/env bash
# Long fuzz runs under AddressSanitizer + UndefinedBehaviorSanitizer (with float-cast-overflow,
# and every report fatal): builds tools/fuzz/driver.cpp into build/fuzz, then runs it over
#   audio  damaged WAV, FLAC, Ogg, Opus and MP3 files through load_audio, the features and the model;
#   blob     damaged model blobs through the model loader and its prediction;
#   writers  songs with odd names (quotes, commas, '#', CR, LF, non-ASCII, invalid UTF-8, very long)
#            through the CLI's CSV writer and its M3U8 playlists, which must read back.
#
#   [JOBS=N] tools/fuzz.sh [AUDIO_CASES [BLOB_CASES [SEED [TIMEOUT_S [WRITER_CASES]]]]]
#   # defaults 20000 2000 1 60 2000
#
# JOBS (default 1) drivers share each target's cases, driver j with seed SEED + j. Each driver
# prints its counts (cases, ok, refused, crashes, hangs, sanitizer reports) and, for each failure,
# how the case ended (exit status or signal, the end of its stderr); the script prints their sums.
# Inputs that crash, hang or make a sanitizer report are kept in
# build/fuzz/runs/TARGET-SEED/crashes with their stderr and exit status. One case reruns alone
# with build/fuzz/sonotype_fuzz TARGET CASE+1 SEED DIR TIMEOUT_S CASE. Exits 1 when any case
# failed. Run it with nice on a shared machine.
set -euo pipefail
cd "$(dirname "$0")/.."

audio_cases=${1:-20000}
blob_cases=${2:-2000}
seed=${3:-1}
timeout=${4:-60}
writer_cases=${5:-2000}

sanitizers="-fsanitize=address,undefined,float-cast-overflow -fno-sanitize-recover=all -fno-omit-frame-pointer"
cmake -S . -B build/fuzz -DCMAKE_BUILD_TYPE=RelWithDebInfo -DBUILD_TESTING=OFF \
  -DCMAKE_CXX_FLAGS="$sanitizers" -DCMAKE_EXE_LINKER_FLAGS="$sanitizers" >/dev/null
cmake --build build/fuzz --target sonotype_fuzz -j2

export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
jobs=${JOBS:-1}
status=0
for target in audio blob writers; do
  cases=$audio_cases
  [ "$target" = blob ] && cases=$blob_cases
  [ "$target" = writers ] && cases=$writer_cases
  [ "$cases" -gt 0 ] || continue
  rm -rf build/fuzz/runs/"$target"-*
  pids=()
  for ((j = 0; j < jobs; j++)); do
    share=$(( cases / jobs + (j < cases % jobs ? 1 : 0) ))
    out=build/fuzz/runs/$target-$((seed + j))
    mkdir -p "$out"
    build/fuzz/sonotype_fuzz "$target" "$share" "$((seed + j))" "$out" "$timeout" >"$out/counts.txt" &
    pids+=($!)
  done
  for pid in "${pids[@]}"; do wait "$pid" || status=1; done
  cat build/fuzz/runs/$target-*/counts.txt
  # The sums: fields 5, 7, 9, 11, 13, 15 of "TARGET fuzz, seed S: N cases, N ok, N refused, ..."
  awk -v target="$target" '/ fuzz, seed / { for (i = 5; i <= 15; i += 2) sum[i] += $i }
    END { printf "%s total: %d cases, %d ok, %d refused, %d crashes, %d hangs, %d sanitizer reports\n",
          target, sum[5], sum[7], sum[9], sum[11], sum[13], sum[15] }' build/fuzz/runs/$target-*/counts.txt
done
exit $status
