#include "tests/unit/reference.h"

#include <doctest/doctest.h>

#include <cstdlib>
#include <fstream>
#include <iostream>
#include <string_view>

#include "core/io/audio_file.h"

namespace sonotype::test {

std::optional<std::filesystem::path> shared_dir() {
  const std::filesystem::path dir = SONOTYPE_SHARED_DIR;
  if (std::filesystem::exists(dir / "README.md")) return dir;
  const char* ci = std::getenv("CI");
  if (ci != nullptr && std::string_view(ci) == "true") {
    FAIL("../shared is missing (" << dir.string() << ") and CI=true");
  }
  std::cout << "SKIPPED (no ../shared): " << dir.string() << " not found\n";
  return std::nullopt;
}

nlohmann::json load_reference(const std::filesystem::path& shared, const std::string& name) {
  const auto path = shared / "reference" / "librosa-0.8.1" / (name + ".json");
  std::ifstream in(path);
  REQUIRE_MESSAGE(in.good(), "cannot open " << path.string());
  return nlohmann::json::parse(in);
}

Eigen::MatrixXd reference_matrix(const nlohmann::json& array) {
  const auto& shape = array.at("shape");
  const auto& data = array.at("data");
  const Eigen::Index rows = shape.at(0).get<Eigen::Index>();
  const Eigen::Index cols = shape.size() > 1 ? shape.at(1).get<Eigen::Index>() : 1;
  Eigen::MatrixXd m(rows, cols);
  for (Eigen::Index r = 0; r < rows; ++r)
    for (Eigen::Index c = 0; c < cols; ++c) m(r, c) = data.at(static_cast<std::size_t>(r * cols + c)).get<double>();
  return m;
}

std::vector<float> reference_audio(const std::filesystem::path& shared, const std::string& name) {
  const auto synthetic = shared / "reference" / "librosa-0.8.1" / "inputs" / (name + ".wav");
  if (std::filesystem::exists(synthetic)) return load_audio(synthetic);
  const std::string_view seg_suffix = ".seg0";
  const bool segment = name.ends_with(seg_suffix);
  const std::string clip = segment ? name.substr(0, name.size() - seg_suffix.size()) : name;
  std::vector<float> y = load_audio(shared / "data" / "gtzan" / "dev_audio" / (clip + ".wav"));
  if (segment) y.resize(66149);
  return y;
}

const std::vector<std::string>& reference_names() {
  static const std::vector<std::string> names = {
      "synthetic_short_0p2s", "synthetic_silence_5s", "synthetic_tones_chirp_clicks_10s",
      "synthetic_white_noise_5s", "blues.00000", "blues.00000.seg0", "classical.00000",
      "classical.00000.seg0", "rock.00000", "rock.00000.seg0"};
  return names;
}

void for_each_reference(const ReferenceCheck& check) {
  const auto shared = shared_dir();
  if (!shared) return;
  for (const std::string& name : reference_names()) {
    CAPTURE(name);
    check(name, load_reference(*shared, name), reference_audio(*shared, name));
  }
}

}  // namespace sonotype::test
