#include "e2e/png_support.h"

#include <libdeflate.h>

#include <cstdlib>
#include <fstream>
#include <iterator>

namespace plinth::testing {
namespace {

uint32_t BigEndian(const unsigned char* p) {
  return uint32_t(p[0]) << 24 | uint32_t(p[1]) << 16 | uint32_t(p[2]) << 8 | uint32_t(p[3]);
}

int Paeth(int a, int b, int c) {
  int p = a + b - c, pa = std::abs(p - a), pb = std::abs(p - b), pc = std::abs(p - c);
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

}  // namespace

Pixels ReadPng(const std::string& path, std::string* error) {
  std::ifstream in(path, std::ios::binary);
  std::vector<unsigned char> file((std::istreambuf_iterator<char>(in)), {});
  static const unsigned char kSignature[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
  if (file.size() < 8 || !std::equal(kSignature, kSignature + 8, file.begin())) {
    *error = path + " is not a PNG";
    return {};
  }
  Pixels out;
  int channels = 0;
  std::vector<unsigned char> idat;
  for (size_t at = 8; at + 12 <= file.size();) {
    uint32_t length = BigEndian(&file[at]);
    if (at + 12 + length > file.size()) break;
    std::string type(reinterpret_cast<const char*>(&file[at + 4]), 4);
    const unsigned char* data = &file[at + 8];
    if (type == "IHDR" && length >= 13) {
      out.width = int(BigEndian(data));
      out.height = int(BigEndian(data + 4));
      int depth = data[8], colour = data[9], interlace = data[12];
      channels = colour == 2 ? 3 : colour == 6 ? 4 : 0;
      if (depth != 8 || channels == 0 || interlace != 0) {
        *error = "unsupported PNG: depth " + std::to_string(depth) + ", colour type " +
                 std::to_string(colour) + ", interlace " + std::to_string(interlace);
        return {};
      }
    } else if (type == "IDAT") {
      idat.insert(idat.end(), data, data + length);
    }
    at += 12 + length;
  }
  if (out.width <= 0 || out.height <= 0 || out.width > 20000 || out.height > 20000) {
    *error = "PNG without a usable IHDR";
    return {};
  }
  size_t stride = size_t(out.width) * size_t(channels);
  std::vector<unsigned char> raw(size_t(out.height) * (stride + 1));
  libdeflate_decompressor* d = libdeflate_alloc_decompressor();
  auto result = libdeflate_zlib_decompress(d, idat.data(), idat.size(), raw.data(), raw.size(),
                                           nullptr);
  libdeflate_free_decompressor(d);
  if (result != LIBDEFLATE_SUCCESS) {
    *error = "PNG image data does not inflate to its size";
    return {};
  }
  // Undo each scanline's filter (PNG spec 9.2), in place, then keep RGB.
  std::vector<unsigned char> prev(stride, 0);
  out.rgb.reserve(size_t(out.width) * size_t(out.height));
  for (int y = 0; y < out.height; ++y) {
    unsigned char* line = &raw[size_t(y) * (stride + 1)];
    int filter = line[0];
    unsigned char* px = line + 1;
    for (size_t i = 0; i < stride; ++i) {
      int a = i >= size_t(channels) ? px[i - channels] : 0;
      int b = prev[i];
      int c = i >= size_t(channels) ? prev[i - channels] : 0;
      int add = filter == 1 ? a : filter == 2 ? b : filter == 3 ? (a + b) / 2
              : filter == 4 ? Paeth(a, b, c) : 0;
      px[i] = static_cast<unsigned char>(px[i] + add);
    }
    for (int x = 0; x < out.width; ++x)
      out.rgb.push_back({px[x * channels], px[x * channels + 1], px[x * channels + 2]});
    prev.assign(px, px + stride);
  }
  return out;
}

Rgb ParseHexColour(const std::string& hex) {
  auto byte = [&](size_t i) {
    return static_cast<uint8_t>(std::stoi(hex.substr(i, 2), nullptr, 16));
  };
  return {byte(1), byte(3), byte(5)};
}

}  // namespace plinth::testing
