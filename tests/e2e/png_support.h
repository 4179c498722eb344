// Reads a PNG (as chromium's --screenshot writes it: 8-bit RGB or RGBA, not interlaced) into
// pixels, so a test can check what a page drew rather than what its DOM says. The image data is
// a zlib stream (inflated with libdeflate, which plinth links already) of filtered scanlines.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace plinth::testing {

struct Rgb {
  uint8_t r = 0, g = 0, b = 0;
  bool operator==(const Rgb&) const = default;
};

struct Pixels {
  int width = 0, height = 0;
  std::vector<Rgb> rgb;  // row by row
  Rgb at(int x, int y) const { return rgb[size_t(y) * size_t(width) + size_t(x)]; }
};

// An empty Pixels (width 0) with `error` set when the file is not a PNG this reader takes.
Pixels ReadPng(const std::string& path, std::string* error);

// "#3d85c6" as a colour.
Rgb ParseHexColour(const std::string& hex);

}  // namespace plinth::testing
