// How many single-character edits turn one word into another, for "did you mean" suggestions
// (a misspelt instruction, manifest key or stage name).
#pragma once

#include <cstddef>
#include <string_view>

namespace plinth {

// Insertions, deletions, substitutions and swaps of two neighbours ("buidler" for "builder"),
// each costing one (the optimal string alignment distance).
size_t EditDistance(std::string_view a, std::string_view b);

}  // namespace plinth
