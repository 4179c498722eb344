#include "fleet/problem_list.h"

#include <algorithm>
#include <tuple>

#include "util/edit_distance.h"

namespace plinth::fleet {

std::string Problem::ToString() const {
  return location.empty() ? message : location.ToString() + ": " + message;
}

void ProblemList::Add(Location location, std::string message) {
  problems_.push_back({std::move(location), std::move(message)});
}

Error ProblemList::ToError() const {
  std::vector<Problem> sorted = problems_;
  std::stable_sort(sorted.begin(), sorted.end(), [](const Problem& a, const Problem& b) {
    return std::tie(a.location.line, a.location.column) < std::tie(b.location.line, b.location.column);
  });
  sorted.erase(std::unique(sorted.begin(), sorted.end(),
                           [](const Problem& a, const Problem& b) {
                             return a.ToString() == b.ToString();
                           }),
               sorted.end());
  if (sorted.empty()) return Internal("no problems to report");
  std::string message = sorted[0].message;
  for (size_t i = 1; i < sorted.size(); ++i) message += "\n" + sorted[i].ToString();
  if (sorted.size() > 1)
    message += "\n(" + std::to_string(sorted.size()) + " problems in " + sorted[0].location.file + ")";
  return InvalidInput(message, sorted[0].location);
}

std::string DidYouMean(const std::string& word, const std::vector<std::string>& candidates) {
  std::string best;
  size_t best_distance = std::string::npos;
  for (const auto& c : candidates) {
    size_t d = EditDistance(word, c);
    if (d < best_distance) best = c, best_distance = d;
  }
  // A typo is a few edits away, relative to the word's length.
  size_t limit = std::max<size_t>(2, word.size() / 3);
  return best_distance <= limit ? best : "";
}

}  // namespace plinth::fleet
