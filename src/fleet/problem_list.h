// ProblemList: every problem found while loading a manifest, each at FILE:LINE:COL, so a user
// fixes them all in one pass instead of one per run. ToError() folds the list into one Error
// whose location is the first problem's and whose message lists the rest, one per line.
#pragma once

#include <string>
#include <vector>

#include "util/error.h"

namespace plinth::fleet {

struct Problem {
  Location location;
  std::string message;
  std::string ToString() const;  // "plinth.yaml:3:5: message"
};

class ProblemList {
 public:
  void Add(Location location, std::string message);
  bool empty() const { return problems_.empty(); }
  const std::vector<Problem>& problems() const { return problems_; }
  // Sorted by line and column, duplicates removed.
  Error ToError() const;

 private:
  std::vector<Problem> problems_;
};

// The candidate closest to `word` by edit distance, if close enough to be a likely typo
// ("sevices" → "services"); "" otherwise.
std::string DidYouMean(const std::string& word, const std::vector<std::string>& candidates);

}  // namespace plinth::fleet
