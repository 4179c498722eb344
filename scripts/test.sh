#!/usr/bin/env bash
# The test command: install what is needed, build plinth and its tests, run every test suite
# (unit, end-to-end against real tools, fuzz targets for a bounded time), then run the suites
# that fetch from Debian's archive once more on an empty package cache of their own, so that the
# first `apt-get update` and the first downloads are exercised on every run, as on a new machine.
# Arguments go to ctest; when there are any, they select the tests and the cold pass is left out
# (it says so).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/deps.sh
# zsh and fish: the completion scripts' syntax and behaviour (tests/e2e/cli_completion_test.cc);
# chromium: renders `plinth report --html`'s page headless (tests/e2e/report_page_test.cc);
# docker-compose: `config -q` checks the emitted compose file (tests/e2e/compose_deploy_test.cc);
# shellcheck: `plinth lint` runs it on RUN commands (tests/lint/shellcheck_test.cc);
# busybox-static: the root filesystem native RUN steps run on under runc (tests/run/step_runner_test.cc);
# debootstrap: the Debian 12 base of the native RUN suites (tests/e2e/debian_base_support.cc).
plinth_install_packages zsh fish chromium docker-compose shellcheck busybox-static debootstrap
plinth_build
# ajv-cli for the SARIF schema check (tests/lint/report_format_test.cc).
(cd tests/lint && npm ci --no-audit --no-fund --loglevel=error)
(cd tests/audit && npm ci --no-audit --no-fund --loglevel=error)  # ajv-cli for the SBOM schemas
cd build
ctest --output-on-failure -j 2 --timeout 900 "$@"

# The suites whose Debian cache is $PLINTH_TEST_DEB_CACHE (tests/support/test_env.h TestDebCache,
# tests/e2e/base_images_test.cc, tests/e2e/real_redis_test.cc); a pattern that matches nothing
# is an error.
PLINTH_COLD_TESTS='RealPackagesTest|BaseImagesTest\.|RealRedisTest\.'
if [ $# -gt 0 ]; then
  echo "plinth: cold-cache pass left out (ctest arguments given: $*)" >&2
  exit 0
fi
cold="$(mktemp -d "${TMPDIR:-/tmp}/plinth-cold-debs.XXXXXX")"
trap 'rm -rf "$cold"' EXIT
echo "plinth: cold-cache pass: Debian suites again on the empty cache $cold" >&2
start=$SECONDS
PLINTH_TEST_DEB_CACHE="$cold" ctest --output-on-failure -j 2 --timeout 900 --no-tests=error \
  -R "$PLINTH_COLD_TESTS"
echo "plinth: cold-cache pass took $((SECONDS - start)) s" >&2
