// DebianBase: a Debian 12 (bookworm) image for the end-to-end tests that RUN things, made the
// way Debian's own images start: `debootstrap --variant=minbase bookworm` from Debian's archive
// (deb.debian.org), trimmed as docker's debian images are (no /dev nodes, no apt lists or
// package caches, no /etc/hostname or /etc/resolv.conf: runtimes provide those), one layer,
// PATH as in debian:bookworm, CMD bash, the host's platform.
//
// Made once and kept: the OCI layout lives under $PLINTH_TEST_DEBIAN_BASE, else beside the tests'
// Debian downloads, TestDebCache()/debian-base/<recipe version> ($HOME/.cache/plinth-test-debs
// unless $PLINTH_TEST_DEB_CACHE says otherwise, so the cold-cache pass of scripts/test.sh makes it
// again from nothing), and is made again when older than a day (Debian's archive moves: a
// day-old base still matches it for apt-get). Every test of a suite (each its own process under
// ctest) shares it; a file lock makes the first one build it and the others wait for it. It is
// built in a temporary folder beside its final name and renamed into place, so a killed test
// never leaves half a base. debootstrap's .debs are kept in TestDebCache()/debootstrap.
// Building needs root (debootstrap), debootstrap, tar and umoci; any failure fails the test
// with what went wrong.
#pragma once

#include <string>

namespace plinth::testing {

// The name the base gets in a plinth store, as Dockerfiles write it.
inline constexpr const char* kDebianBaseName = "debian:bookworm";

// The OCI layout folder that holds the base under the tag "bookworm" (made if needed). Empty, with
// a test failure recorded, if it could not be made.
std::string DebianBaseLayout();

// Copies the base into the plinth store at `store` as kDebianBaseName (`plinth --store STORE
// copy`); records a test failure when that fails.
void PutDebianBaseInStore(const std::string& store);

// Copies tests/e2e/run_fixtures (the RUN fleet: plinth.yaml, one folder per service) to `dir`
// and puts the base into its store (`dir`/.plinth/store).
void WriteRunFleet(const std::string& dir);

}  // namespace plinth::testing
