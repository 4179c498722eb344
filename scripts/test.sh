#!/usr/bin/env bash
# The test command: install what is needed, build plinth and its tests, run every test suite
# (unit, end-to-end against real tools, fuzz targets for a bounded time).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/deps.sh
plinth_install_packages
plinth_build
# ajv-cli for the SARIF schema check (tests/lint/report_format_test.cc).
(cd tests/lint && npm ci --no-audit --no-fund --loglevel=error)
cd build
ctest --output-on-failure -j 2 --timeout 900 "$@"
