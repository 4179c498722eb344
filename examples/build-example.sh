#!/usr/bin/env bash
# The main job: builds the bundled Lucid fleet (examples/lucid) into its local store
# (examples/lucid/.plinth/store), each image audited against its tier's rules (--audit), and
# prints what was built. The distroless bases come from local
# Debian recipes (apt fetches the packages); images no local recipe provides (mongo:7.0) are not
# pulled (--pull never) and are reported by name, as are RUN stages for a foreign architecture.
set -uo pipefail
cd "$(dirname "$0")/lucid" || exit 2
plinth=../../build/plinth
"$plinth" plan
# This machine cannot build two targets, and says so by name: mongodb copies from mongo:7.0,
# which nothing here provides, and blockchain-engine's RUN stage for the other architecture
# would need emulation. Any other skip makes the build exit 3, a failure exit 1.
case "$(uname -m)" in
  aarch64 | arm64) foreign=linux/amd64 ;;
  *) foreign=linux/arm64 ;;
esac
"$plinth" build --audit --pull never --keep-going --allow-unreachable mongodb \
  --allow-unreachable "blockchain-engine@$foreign"
status=$?
echo
"$plinth" store ls
# Next to the store: the compose file of what was built for this machine's platform, and the
# build report (README: "Deploy with compose"). Failing to write either fails the main job.
store="$("$plinth" version --format json | sed -n 's/.*"store":"\([^"]*\)".*/\1/p')"
out="$(cd "$(dirname "$store")" && pwd)"
"$plinth" emit compose --only-built -o "$out/compose.yaml" || status=1
"$plinth" report --html "$out/report.html" >/dev/null || status=1
echo
echo "compose file: $out/compose.yaml (plinth load, then podman-compose -f $out/compose.yaml up -d)"
echo "build report: $out/report.html"
# plinth build's exit code: 0 complete, 1 a target failed, 3 a target not allowed above skipped.
exit $status
