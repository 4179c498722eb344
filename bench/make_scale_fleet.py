#!/usr/bin/env python3
"""Writes a synthetic fleet for bench/fleet_scale.sh: BASES bases (FROM scratch, a few files)
and SERVICES services of FILES small files each, every service on one of the bases (round
robin), for the given platforms. Nothing in it RUNs or needs a registry, so plinth builds it
natively and offline.

  usage: bench/make_scale_fleet.py DIR SERVICES [--bases N] [--files N] [--platforms a,b]
"""
import argparse
import os


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(text)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("dir")
    p.add_argument("services", type=int)
    p.add_argument("--bases", type=int, default=1)
    p.add_argument("--files", type=int, default=20)
    p.add_argument("--platforms", default="linux/amd64")
    a = p.parse_args()
    platforms = [x for x in a.platforms.split(",") if x]

    lines = [
        "# Synthetic fleet written by bench/make_scale_fleet.py.",
        "version: 1",
        "namespace: scale",
        'image: "{namespace}/{name}:latest-{arch}"',
        "platforms: [%s]" % ", ".join(platforms),
        "tiers:",
        "  app: {description: everything}",
        "groups:",
        "  base: {phase: 0}",
        "  service: {phase: 1}",
        "bases:",
    ]
    for b in range(a.bases):
        name = "base-%02d" % b
        lines += ["  %s:" % name,
                  "    dockerfile: bases/%s/Dockerfile" % name,
                  "    group: base"]
        write(os.path.join(a.dir, "bases", name, "Dockerfile"),
              "FROM scratch\nCOPY etc/ /etc/scale/\nENV SCALE_BASE=%s\nWORKDIR /app\n" % name)
        for i in range(3):
            write(os.path.join(a.dir, "bases", name, "etc", "conf-%d" % i),
                  "base %s file %d\n" % (name, i))
    lines.append("services:")
    for s in range(a.services):
        name = "svc-%05d" % s
        base = "base-%02d" % (s % a.bases)
        lines += ["  %s:" % name,
                  "    dockerfile: services/%s/Dockerfile" % name,
                  "    tier: app",
                  "    group: service",
                  "    base: %s" % base]
        folder = os.path.join(a.dir, "services", name)
        write(os.path.join(folder, "Dockerfile"),
              "FROM scale/%s:latest-${TARGETARCH}\n"
              "COPY app/ /app/\n"
              "ENV SERVICE=%s\n"
              'ENTRYPOINT ["/app/run"]\n' % (base, name))
        for i in range(a.files):
            write(os.path.join(folder, "app", "file-%02d.txt" % i),
                  "service %s file %d\n%s\n" % (name, i, "x" * (64 + i * 7)))
    write(os.path.join(a.dir, "plinth.yaml"), "\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
