#pragma once
// "More like this": the songs of a collection nearest to a song, in the model's standardised
// feature space (GenreModel::standardise, the space its KNN measures distances in). The page (via
// the module's similar()) and `sonotype similar` both use these two functions, so they give the
// same list for the same features.
#include <cstddef>
#include <limits>
#include <span>
#include <vector>

#include "core/gtzan.h"
#include "core/model/model.h"

namespace sonotype {

// A song's point in the standardised space: the mean of GenreModel::standardise over the raw
// features (57 each) of its song_windows() windows, the windows classify_song uses, leaving out
// silent ones (is_silent) as the song's genre does (all of them are used if all are silent). A
// song of one window (up to 1.5 x 30 s) is thus its features standardised.
// Throws std::invalid_argument for no windows or a feature that is not finite.
std::vector<double> song_point(const GenreModel& model, std::span<const FeatureVector> windows);

struct Neighbour {
  std::size_t index = 0;  // in the collection
  double distance = 0;    // Euclidean, in the standardised space
  double similarity = 0;  // similarity_of(distance, dimensions)
};

// The similarity shown for a distance d between two points of D dimensions (57):
//   1 / (1 + d / sqrt(D)),
// where d / sqrt(D) is the root-mean-square difference per feature, in training standard
// deviations. 1 for identical songs; 0.5 when they differ by one standard deviation per feature
// (RMS); it falls towards 0 with distance and orders songs exactly as the distance does.
double similarity_of(double distance, std::size_t dimensions);

inline constexpr std::size_t kNoSong = std::numeric_limits<std::size_t>::max();

// The `n` points of `collection` nearest to `query` (all of them if fewer), nearest first, by
// Euclidean distance; equal distances keep collection order (lower index first), so the list is
// the same everywhere for the same inputs in the same order. `skip` (the query's own index when
// it is a member of the collection) is left out. Every point must have the query's dimension
// (else std::invalid_argument).
std::vector<Neighbour> nearest_songs(std::span<const double> query, std::span<const std::vector<double>> collection,
                                     std::size_t n, std::size_t skip = kNoSong);

}  // namespace sonotype
