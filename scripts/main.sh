#!/usr/bin/env bash
# The main job: install what is needed, build plinth, build the bundled example into the local
# store, and print what was built.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/deps.sh
plinth_install_packages
plinth_build
exec bash examples/build-example.sh
