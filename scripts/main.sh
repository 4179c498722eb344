#!/usr/bin/env bash
# The main job: install what is needed, build plinth, build the bundled example into the local
# store, and print what was built.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/deps.sh
plinth_install_packages
plinth_build plinth  # the binary only: the tests and fuzz targets are the test command's
exec bash examples/build-example.sh
