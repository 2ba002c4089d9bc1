#pragma once
// The exception for a model that cannot be used: a malformed or inconsistent .sono blob
// ("model blob: checksum mismatch (...)") or interchange file. what() names the problem.
#include <stdexcept>

namespace sonotype {

struct ModelError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

}  // namespace sonotype
