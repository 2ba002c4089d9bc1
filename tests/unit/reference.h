#pragma once
// Access to ../shared (librosa 0.8.1 references, GTZAN dev clips) for the unit tests.
//
// A test that needs ../shared calls shared_dir() and returns when it gives nothing: the test is
// then reported as skipped by ctest, or fails when CI=true (CI must always have ../shared).
#include <Eigen/Core>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace sonotype::test {

std::optional<std::filesystem::path> shared_dir();

// A librosa reference JSON from ../shared/reference/librosa-0.8.1/NAME.json.
nlohmann::json load_reference(const std::filesystem::path& shared, const std::string& name);

// {"shape": [rows, cols], "data": [...row-major...]} -> (rows, cols) matrix; a 1-D array -> (n, 1).
Eigen::MatrixXd reference_matrix(const nlohmann::json& array);

// The audio a reference was made from: inputs/NAME.wav, the GTZAN clip NAME.wav, or for
// "NAME.seg0" that clip's samples [0, 66149).
std::vector<float> reference_audio(const std::filesystem::path& shared, const std::string& name);

// Names of the reference clips, synthetic and GTZAN.
const std::vector<std::string>& reference_names();

// Calls check(name, reference, audio) for every reference clip, with the name captured for
// failure messages; calls nothing when shared_dir() gives nothing.
using ReferenceCheck = std::function<void(const std::string& name, const nlohmann::json& reference,
                                          const std::vector<float>& audio)>;
void for_each_reference(const ReferenceCheck& check);

}  // namespace sonotype::test
