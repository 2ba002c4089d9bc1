// core/audio against librosa 0.8.1 + resampy 0.4.2 (tests/data/resample_reference.json, written by
// tools/make_resample_fixtures.py): the filter tables, output lengths, and resampled known signals
// (sines, a tone above the new Nyquist frequency, a stereo down-mix, upsampling) within 1e-6.
#include "core/audio.h"

#include <doctest/doctest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <numbers>
#include <stdexcept>
#include <string>
#include <vector>

namespace sonotype {

namespace {

using nlohmann::json;

const json& reference() {
  static const json doc = [] {
    std::ifstream in(std::filesystem::path(SONOTYPE_TEST_DATA) / "resample_reference.json");
    REQUIRE(in.good());
    return json::parse(in);
  }();
  return doc;
}

ResampleFilter filter_named(const std::string& name) {
  return name == "kaiser_fast" ? ResampleFilter::kaiser_fast : ResampleFilter::kaiser_best;
}

// The fixture's signal: per channel, float32(sum of amplitude * sin(2 pi f i / rate)), interleaved.
std::vector<float> signal(const json& c) {
  const std::size_t n = c.at("n"), channels = c.at("channels").size();
  const double rate = c.at("orig_sr");
  std::vector<float> out(n * channels);
  for (std::size_t ch = 0; ch < channels; ++ch) {
    for (std::size_t i = 0; i < n; ++i) {
      float sum = 0;  // numpy adds the float32 channels' parts
      for (const json& part : c.at("channels")[ch])
        sum += float(double(part[1]) * std::sin(2 * std::numbers::pi * double(part[0]) * double(i) / rate));
      out[i * channels + ch] = sum;
    }
  }
  return out;
}

}  // namespace

TEST_CASE("resample_filter_table equals resampy's stored kaiser_best and kaiser_fast tables") {
  for (const char* name : {"kaiser_best", "kaiser_fast"}) {
    CAPTURE(name);
    const json& stored = reference().at("tables").at(name);
    const std::vector<double> table = resample_filter_table(filter_named(name));
    REQUIRE(table.size() == stored.at("size").get<std::size_t>());
    double worst = 0;
    for (std::size_t i = 0; i < stored.at("index").size(); ++i)
      worst = std::max(worst, std::abs(table[stored["index"][i].get<std::size_t>()] - stored["value"][i].get<double>()));
    CHECK(worst < 1e-14);
  }
}

TEST_CASE("resample gives librosa.resample's length, and refuses what resampy refuses") {
  for (const json& c : reference().at("lengths")) {
    const std::vector<float> zeros(c.at("n").get<std::size_t>(), 0.0f);
    CAPTURE(c.dump());
    if (c.at("length").is_null()) {
      CHECK_THROWS_AS(resample(zeros, c.at("orig_sr"), c.at("target_sr")), std::invalid_argument);
    } else {
      CHECK(resample(zeros, c.at("orig_sr"), c.at("target_sr")).size() == c.at("length").get<std::size_t>());
    }
  }
}

TEST_CASE("resample refuses rates so far apart that the filter has no taps (a damaged header's rate)") {
  // kaiser_best has 2^13 table entries per zero crossing: past 8192:1 resampy divides by zero.
  const std::vector<float> zeros(1000, 0.0f);
  CHECK_THROWS_WITH_AS(resample(zeros, 2'000'000'000, 22050), "cannot resample from 2000000000 Hz to 22050 Hz: the rates are too far apart",
                       std::invalid_argument);
  CHECK(resample(zeros, 44100 * 128, 22050).size() == 4);  // 256:1 still has taps
}

TEST_CASE("resample equals librosa.resample (resampy) within 1e-6 for known signals") {
  for (const json& c : reference().at("cases")) {
    const std::string name = c.at("name");
    CAPTURE(name);
    const std::vector<float> mono = to_mono(signal(c), int(c.at("channels").size()));
    const std::vector<float> want = c.at("y").get<std::vector<float>>();
    const ResampleFilter filter = filter_named(c.at("filter"));
    const std::vector<float> got = resample(mono, c.at("orig_sr"), c.at("target_sr"), filter);
    REQUIRE(got.size() == want.size());
    double worst = 0;
    for (std::size_t i = 0; i < got.size(); ++i) worst = std::max(worst, std::abs(double(got[i]) - want[i]));
    CHECK(worst < 1e-6);

    // Fed in uneven pieces, the streaming resampler gives the same samples.
    Resampler pieces(c.at("orig_sr"), c.at("target_sr"), filter);
    for (std::size_t begin = 0, size = 1; begin < mono.size(); begin += size, size = size * 3 + 1)
      pieces.push(std::span<const float>(mono).subspan(begin, std::min(size, mono.size() - begin)));
    CHECK(pieces.finish() == got);
  }
}

TEST_CASE("resample leaves audio at the target rate untouched, and to_mono averages channels in float32") {
  const std::vector<float> y = {0.1f, -0.7f, 0.33f};
  CHECK(resample(y, 22050, 22050) == y);
  const std::vector<float> stereo = {0.1f, 0.2f, -1.0f, 0.5f, 0.3f, 0.3f};
  CHECK(to_mono(stereo, 2) == std::vector<float>{(0.1f + 0.2f) / 2.0f, (-1.0f + 0.5f) / 2.0f, 0.3f});
  CHECK_THROWS_AS(Resampler(0, 22050), std::invalid_argument);
}

}  // namespace sonotype
