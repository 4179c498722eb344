#include "util/edit_distance.h"

#include <gtest/gtest.h>

namespace plinth {
namespace {

TEST(EditDistanceTest, CountsInsertionsDeletionsSubstitutionsAndSwapsAsOneEach) {
  EXPECT_EQ(EditDistance("builder", "builder"), 0u);
  EXPECT_EQ(EditDistance("buidler", "builder"), 1u);  // two neighbours swapped
  EXPECT_EQ(EditDistance("bulder", "builder"), 1u);
  EXPECT_EQ(EditDistance("builders", "builder"), 1u);
  EXPECT_EQ(EditDistance("buxlder", "builder"), 1u);
  EXPECT_EQ(EditDistance("", "abc"), 3u);
  EXPECT_EQ(EditDistance("ab", "ba"), 1u);
  EXPECT_EQ(EditDistance("alpine", "builder"), 6u);
}

}  // namespace
}  // namespace plinth
