#include "core/similar.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <stdexcept>
#include <string>

#include "core/classify.h"

namespace sonotype {

std::vector<double> song_point(const GenreModel& model, std::span<const FeatureVector> windows) {
  if (windows.empty()) throw std::invalid_argument("a song needs at least one window of features");
  const bool all_silent = std::all_of(windows.begin(), windows.end(), is_silent);
  std::vector<double> mean(kNumGtzanFeatures, 0.0);
  std::size_t used = 0;
  for (const FeatureVector& w : windows) {
    if (is_silent(w) && !all_silent) continue;
    const std::vector<double> x = model.standardise(w);
    for (std::size_t j = 0; j < mean.size(); ++j) mean[j] += x[j];
    ++used;
  }
  for (double& v : mean) v /= static_cast<double>(used);
  return mean;
}

double similarity_of(double distance, std::size_t dimensions) {
  return 1.0 / (1.0 + distance / std::sqrt(static_cast<double>(dimensions)));
}

std::vector<Neighbour> nearest_songs(std::span<const double> query, std::span<const std::vector<double>> collection,
                                     std::size_t n, std::size_t skip) {
  std::vector<Neighbour> all;
  all.reserve(collection.size());
  for (std::size_t i = 0; i < collection.size(); ++i) {
    if (i == skip) continue;
    const std::vector<double>& point = collection[i];
    if (point.size() != query.size())
      throw std::invalid_argument("song " + std::to_string(i) + " has " + std::to_string(point.size()) +
                                  " values, the query " + std::to_string(query.size()));
    double sum = 0;
    for (std::size_t j = 0; j < point.size(); ++j) sum += (point[j] - query[j]) * (point[j] - query[j]);
    const double d = std::sqrt(sum);
    all.push_back({i, d, similarity_of(d, query.size())});
  }
  const std::size_t k = std::min(n, all.size());
  std::partial_sort(all.begin(), all.begin() + static_cast<std::ptrdiff_t>(k), all.end(),
                    [](const Neighbour& a, const Neighbour& b) {
                      return a.distance < b.distance || (a.distance == b.distance && a.index < b.index);
                    });
  all.resize(k);
  return all;
}

}  // namespace sonotype
