// An image of a test's store unpacked with the real tools: skopeo recompresses it to gzip (what
// umoci reads) and umoci unpacks it, so what a test reads is what those tools see in the image.
#pragma once

#include <string>

namespace plinth::testing {

// Unpacks `image` (a name in the OCI layout at `store`) under `dir`; returns the rootfs folder,
// or "" after a gtest failure naming the tool that failed.
std::string UnpackStoreImage(const std::string& store, const std::string& image,
                             const std::string& dir);

// blockchain-engine's image holds what its builder stage's RUN wrote: /app/server.pyc is CPython
// bytecode (its magic ends in \r\n), with no source beside it.
void ExpectEngineImageHoldsTheRunOutput(const std::string& store, const std::string& image);

}  // namespace plinth::testing
