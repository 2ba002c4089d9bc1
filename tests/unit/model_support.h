#pragma once
// Model fixtures for the tests: the small interchange files of tests/data (make_tiny_model.py,
// real scikit-learn models with scikit-learn's golden outputs) and .sono blobs made from them.
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace sonotype::test {

// The committed fixtures: tiny_model (rbf SVM, distance-weighted Euclidean KNN) and one per
// other kernel (tiny_poly, tiny_sigmoid, tiny_linear) with the other KNN settings.
const std::vector<std::string>& tiny_fixture_names();
std::filesystem::path tiny_fixture(const std::string& name);  // tests/data/NAME.json

nlohmann::json read_json(const std::filesystem::path& path);
std::vector<std::uint8_t> read_bytes(const std::filesystem::path& path);

// `sonotype convert JSON OUT --dtype DTYPE` into a temp folder, and the blob it wrote
// (the test fails if the conversion does).
std::vector<std::uint8_t> convert_with_cli(const std::filesystem::path& json, const std::string& dtype);

// Makes a blob whose length or bytes were changed consistent again, as FORMAT.md defines it:
// stores the new length at offset 8 and the CRC-32 of all but the last 4 bytes in them.
void reseal(std::vector<std::uint8_t>& blob);

}  // namespace sonotype::test
