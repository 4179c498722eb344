#!/usr/bin/env python3
"""Lists a fleet's targets for one platform in build order, for bench/fleet_build.sh.

    usage: fleet_targets.py PLINTH FLEET_DIR PLATFORM [LEAVE_OUT_TARGET…]

Reads `plinth plan --format json` (the order: phase by phase) and plinth.yaml (Dockerfile,
context, build args). Prints one tab-separated line per target:
    recipe      TARGET  STORE_NAME  UPSTREAM_REF              a base plinth makes from a recipe
    dockerfile  TARGET  IMAGE  DOCKERFILE  CONTEXT  ARGS  RUNS
ARGS: k=v pairs joined by ';', or "-" for none; RUNS: "runs" when a stage RUNs commands (a backend builds it),
else "native". The LEAVE_OUT targets (those that cannot be built here, such as mongodb, which
needs mongo:7.0 from a registry) are not listed.
"""
import json
import os
import subprocess
import sys

import yaml

plinth, fleet_dir, platform = sys.argv[1:4]
leave_out = set(sys.argv[4:])
plan = json.loads(subprocess.run([plinth, "plan", "--platform", platform, "--format", "json"],
                                 cwd=fleet_dir, check=True, capture_output=True, text=True).stdout)
with open(os.path.join(fleet_dir, "plinth.yaml")) as f:
    manifest = yaml.safe_load(f)
declared = {**manifest.get("bases", {}), **manifest.get("services", {})}
images = {t["target"]: t["image"] for t in plan["targets"]}
for phase in plan["phases"]:
    for target in phase:
        name = target.rsplit("@", 1)[0]
        if name not in declared:
            print("\t".join(["recipe", target, images[target], name]))
            continue
        if target in leave_out:
            continue
        spec = declared[name]
        dockerfile = os.path.join(fleet_dir, spec["dockerfile"])
        with open(dockerfile) as f:
            runs = any(line.split()[:1] in (["RUN"], ["run"]) for line in f)
        context = os.path.join(fleet_dir, spec.get("context", os.path.dirname(spec["dockerfile"])))
        args = ";".join(f"{k}={v}" for k, v in (spec.get("build_args") or {}).items()) or "-"
        print("\t".join(["dockerfile", target, images[target], dockerfile, context, args,
                         "runs" if runs else "native"]))
