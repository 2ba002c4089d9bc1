#!/usr/bin/env bash
# Installs what Sonotype needs to build, test and serve, and nothing that is already there.
# Debian packages come from apt; the JavaScript tests' packages (tests/package.json: the browser
# driver playwright-core, TypeScript for the declarations check, and Vite, webpack and esbuild for the npm
# package's consumer tests) and the page's zip writer (tools/web-vendor/package.json: fflate) from npm.
# Safe to run repeatedly: it only calls apt-get / npm when something is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(
  cmake g++ make pkg-config
  emscripten node-acorn wabt                     # WebAssembly toolchain and wasm-objdump
  libeigen3-dev libkissfft-dev doctest-dev       # required core dependencies
  libsndfile1-dev                                # audio decoding (CLI only)
  libavformat-dev libavcodec-dev libavutil-dev libswresample-dev  # decoding M4A/AAC and the rest (CLI only)
  nlohmann-json3-dev libcli11-dev                # model interchange JSON, CLI arguments
  python3-sklearn python3-xgboost python3-pandas python3-numpy python3-scipy  # tools/train.py (run by /usr/bin/python3)
  python3-dev pybind11-dev python3-pybind11 python3-pytest  # the Python module (tools/python/), its tests
  python3-dask python3-distributed python3-soundfile python3-resampy  # tools/catalogue.py; soundfile and resampy: the tests' reference decoder and resampler
  ffmpeg sox chromium                            # browser tests: test files and headless Chromium
  espeak-ng                                      # speech for the novelty tests
)

missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# Node may come from another repository (with its own npm); only ask apt when the command is absent.
command -v node >/dev/null || missing+=(nodejs)
command -v npm >/dev/null || missing+=(npm)
if ((${#missing[@]})); then
  echo "install-deps: installing ${missing[*]}"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# npm records what it installed in node_modules/.package-lock.json; reinstall (exactly the lock
# file's versions) when that is missing or older than the lock file.
if [ ! tests/node_modules/.package-lock.json -nt tests/package-lock.json ]; then
  echo "install-deps: npm ci (tests)"
  # playwright-core drives Debian's /usr/bin/chromium; it never downloads a browser.
  (cd tests && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --silent)
fi
# What the page ships (tools/web-vendor/package.json: fflate), copied into web/build/ by
# tools/vendor-web.sh.
if [ ! tools/web-vendor/node_modules/.package-lock.json -nt tools/web-vendor/package-lock.json ]; then
  echo "install-deps: npm ci (web-vendor)"
  (cd tools/web-vendor && npm ci --no-audit --no-fund --silent)
fi
