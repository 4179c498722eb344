#include "lint/rule.h"
#include "util/ascii.h"

#include <cctype>

namespace plinth::lint {
namespace {

using S = Severity;
constexpr RuleScope F = RuleScope::kFleet;
constexpr RuleScope G = RuleScope::kGeneral;

std::vector<Rule> MakeRules() {
  return {
      {"PL001", "dockerfile-syntax", "", S::kError, G, "The Dockerfile does not parse",
       "An instruction that BuildKit rejects stops the build; nothing after it can be checked.",
       "FROM alpine:3.20\nCOPY onlyone\n", "FROM alpine:3.20\nCOPY onlyone /dest/\n"},
      // Hybrid policy: rules that need plinth.yaml.
      {"PL101", "runtime-base-tier", "", S::kError, F,
       "The runtime stage's base must be one the service's tier allows",
       "The hybrid approach puts foundation services on the fleet's custom base (shared, cached,\n"
       "pre-configured layers) and application services on upstream distroless images directly\n"
       "(nothing between them and Google's minimal images). A service on the other kind of base\n"
       "gets neither benefit. The tier's runtime_base allow/deny lists in plinth.yaml decide.",
       "# application tier\nFROM pickme/lucid-base:latest-arm64\n",
       "# application tier\nFROM gcr.io/distroless/python3-debian12:nonroot\n"},
      {"PL102", "multi-stage-required", "", S::kError, F,
       "The tier requires a multi-stage build",
       "Build tools, caches and sources belong in a builder stage; the runtime stage copies only\n"
       "what runs. A single-stage Dockerfile ships its build environment.",
       "FROM gcr.io/distroless/python3-debian12:nonroot\nCOPY app/ /app/\n",
       "FROM scratch AS source\nCOPY app/ /app/\n\nFROM gcr.io/distroless/python3-debian12:nonroot\n"
       "COPY --from=source /app/ /app/\n"},
      {"PL103", "runtime-user-nonroot", "", S::kError, F,
       "The runtime stage must end as a non-root user (65532 or nonroot)",
       "Every Lucid service runs as uid 65532, distroless's `nonroot`. The last USER of the runtime\n"
       "stage decides the user the container starts as; without one, the base's user applies,\n"
       "which is only known to be non-root for distroless `:nonroot` tags and fleet bases that\n"
       "end with a non-root USER.",
       "FROM gcr.io/distroless/base-debian12\nUSER root\n",
       "FROM gcr.io/distroless/base-debian12:nonroot\nUSER 65532:65532\n"},
      {"PL104", "distroless-shell-form", "", S::kError, F,
       "No shell-form RUN, CMD, ENTRYPOINT or HEALTHCHECK CMD in a distroless runtime stage",
       "Shell form runs `/bin/sh -c …`; distroless images have no /bin/sh, so the instruction\n"
       "fails at build time (RUN) or when the container starts (CMD, ENTRYPOINT, HEALTHCHECK).",
       "FROM gcr.io/distroless/python3-debian12:nonroot\nCMD python3 /app/server.py\n",
       "FROM gcr.io/distroless/python3-debian12:nonroot\nCMD [\"/usr/bin/python3\", \"/app/server.py\"]\n"},
      {"PL105", "runtime-package-manager", "", S::kError, F,
       "No package manager in the runtime stage",
       "Packages installed in the runtime stage bring a package database, caches and often a\n"
       "shell; the runtime stays package-manager-less. Install in a builder stage or add the\n"
       "package to the base's Debian recipe.",
       "FROM pickme/lucid-base:latest-arm64\nRUN [\"apt-get\", \"install\", \"-y\", \"curl\"]\n",
       "FROM debian:12 AS builder\nRUN apt-get update && apt-get install -y curl\n"},
      {"PL106", "arch-suffix-platform", "", S::kError, F,
       "An image tag's architecture suffix must match the platform being built",
       "`pickme/lucid-base:latest-arm64` holds arm64 binaries; an amd64 build on top of it ships\n"
       "binaries that cannot run. Use `${TARGETARCH}` in the tag so each platform gets its own.",
       "FROM pickme/lucid-base:latest-arm64\n", "FROM pickme/lucid-base:latest-${TARGETARCH}\n"},
      {"PL107", "upstream-unpinned", "", S::kError, F,
       "Upstream bases must be pinned to a tag other than latest, or a digest",
       "An unpinned upstream base changes under the fleet without a commit; builds stop being\n"
       "reproducible and a rebuild can pull in a different Debian release.",
       "FROM gcr.io/distroless/base-debian12\n", "FROM gcr.io/distroless/base-debian12:nonroot\n"},
      {"PL108", "upstream-end-of-life", "", S::kWarning, F,
       "The upstream base is past its end of life",
       "Images past their end of life get no security updates, and distroless removes them from\n"
       "the registry (python3-debian12 and the java*-debian12 images in 2026; Debian 12\n"
       "static/base/cc ended in September 2026). The lifecycle table names the replacement.",
       "FROM gcr.io/distroless/static-debian12:nonroot\n",
       "FROM gcr.io/distroless/static-debian13:nonroot\n"},
      {"PL109", "declared-base-mismatch", "", S::kError, F,
       "The runtime stage's base differs from the base plinth.yaml declares",
       "plinth.yaml's `base:` is what plan, build and compose rely on; a Dockerfile that says\n"
       "otherwise builds something else than the manifest describes. `plinth migrate` rewrites\n"
       "the FROM line.",
       "# plinth.yaml: base: lucid-base\nFROM gcr.io/distroless/base-debian12:nonroot\n",
       "FROM pickme/lucid-base:latest-${TARGETARCH}\n"},
      // General rules, with hadolint's codes as aliases.
      {"PL201", "workdir-absolute", "DL3000", S::kError, G, "Use absolute WORKDIR",
       "A relative WORKDIR depends on the previous one, which is easy to lose track of.",
       "WORKDIR app\n", "WORKDIR /app\n"},
      {"PL202", "last-user-root", "DL3002", S::kWarning, G, "Last USER should not be root",
       "A container that starts as root gives any compromise of the process the whole container.",
       "FROM debian:12\nUSER root\n", "FROM debian:12\nUSER 65532\n"},
      {"PL203", "untagged-image", "DL3006", S::kWarning, G, "Always tag the version of an image explicitly",
       "Without a tag the build uses `latest`, whatever it is on the day of the build.",
       "FROM debian\n", "FROM debian:12\n"},
      {"PL204", "latest-tag", "DL3007", S::kWarning, G,
       "Using latest is prone to errors if the image will ever update. Pin the version explicitly to a release tag",
       "`latest` moves; a build that worked yesterday can break or change silently.",
       "FROM debian:latest\n", "FROM debian:12\n"},
      {"PL205", "add-for-files", "DL3020", S::kError, G, "Use COPY instead of ADD for files and folders",
       "ADD also fetches URLs and unpacks archives; for plain files COPY says what it does.",
       "ADD app/ /app/\n", "COPY app/ /app/\n"},
      {"PL206", "copy-multi-source-dest", "DL3021", S::kError, G,
       "COPY with more than 2 arguments requires the last argument to end with /",
       "With several sources the destination must be a folder; without the trailing slash the\n"
       "build fails.",
       "COPY a.txt b.txt /dest\n", "COPY a.txt b.txt /dest/\n"},
      {"PL207", "copy-from-unknown-stage", "DL3022", S::kWarning, G,
       "COPY --from should reference a previously defined FROM alias",
       "A --from that names no earlier stage is pulled as an image, which is rarely what a typo\n"
       "meant.",
       "FROM debian:12 AS build\nFROM debian:12\nCOPY --from=biuld /a /a\n",
       "FROM debian:12 AS build\nFROM debian:12\nCOPY --from=build /a /a\n"},
      {"PL208", "copy-from-self", "DL3023", S::kError, G, "COPY --from cannot reference its own FROM alias",
       "A stage cannot copy from itself; the build fails.",
       "FROM debian:12 AS app\nCOPY --from=app /a /b\n", "FROM debian:12 AS build\nFROM debian:12 AS app\nCOPY --from=build /a /b\n"},
      {"PL209", "duplicate-stage-name", "DL3024", S::kError, G, "FROM aliases (stage names) must be unique",
       "Two stages with one name make every reference to it ambiguous.",
       "FROM debian:12 AS build\nFROM debian:12 AS build\n", "FROM debian:12 AS build\nFROM debian:12 AS test\n"},
      {"PL210", "json-cmd-entrypoint", "DL3025", S::kWarning, G,
       "Use arguments JSON notation for CMD and ENTRYPOINT arguments",
       "Shell form wraps the command in /bin/sh -c: signals go to the shell, not the program,\n"
       "and images without a shell cannot run it.",
       "CMD python3 app.py\n", "CMD [\"python3\", \"app.py\"]\n"},
      {"PL211", "untrusted-registry", "DL3026", S::kError, G, "Use only an allowed registry in the FROM image",
       "With trustedRegistries set (.hadolint.yaml), every base must come from one of them.",
       "FROM evil.example.com/debian:12\n", "FROM docker.io/debian:12\n"},
      {"PL212", "from-platform-flag", "DL3029", S::kWarning, G, "Do not use --platform flag with FROM",
       "A fixed --platform defeats multi-platform builds; $BUILDPLATFORM and $TARGETPLATFORM are\n"
       "the exceptions.",
       "FROM --platform=linux/amd64 debian:12\n", "FROM --platform=$BUILDPLATFORM debian:12\n"},
      {"PL213", "copy-relative-no-workdir", "DL3045", S::kWarning, G,
       "COPY to a relative destination without WORKDIR set",
       "A relative destination resolves against the base's working directory, which can change.",
       "FROM debian:12\nCOPY app.py app.py\n", "FROM debian:12\nWORKDIR /app\nCOPY app.py app.py\n"},
      {"PL214", "healthcheck-missing", "DL3057", S::kIgnore, G, "HEALTHCHECK instruction missing",
       "Without a HEALTHCHECK the runtime cannot tell a hung service from a healthy one.",
       "FROM debian:12\nCMD [\"app\"]\n", "FROM debian:12\nHEALTHCHECK CMD [\"app\", \"--check\"]\nCMD [\"app\"]\n"},
      {"PL215", "maintainer-deprecated", "DL4000", S::kError, G, "MAINTAINER is deprecated",
       "MAINTAINER was removed from the Dockerfile reference; use a label.",
       "MAINTAINER me@example.com\n", "LABEL org.opencontainers.image.authors=\"me@example.com\"\n"},
      {"PL216", "wget-and-curl", "DL4001", S::kWarning, G, "Either use Wget or Curl but not both",
       "Two download tools in one image is one more than needed.",
       "RUN curl -o a https://x/a\nRUN wget https://x/b\n", "RUN curl -o a https://x/a\nRUN curl -o b https://x/b\n"},
      {"PL217", "multiple-cmd", "DL4003", S::kWarning, G,
       "Multiple CMD instructions found. If you list more than one CMD then only the last CMD will take effect",
       "Only the last CMD of a stage counts; the others mislead the reader.",
       "CMD [\"a\"]\nCMD [\"b\"]\n", "CMD [\"b\"]\n"},
      {"PL218", "multiple-entrypoint", "DL4004", S::kError, G,
       "Multiple ENTRYPOINT instructions found. If you list more than one ENTRYPOINT then only the last ENTRYPOINT will take effect",
       "Only the last ENTRYPOINT of a stage counts; the others mislead the reader.",
       "ENTRYPOINT [\"a\"]\nENTRYPOINT [\"b\"]\n", "ENTRYPOINT [\"b\"]\n"},
      {"PL219", "pipefail", "DL4006", S::kWarning, G,
       "Set the SHELL option -o pipefail before RUN with a pipe in it",
       "/bin/sh -c reports only the last command of a pipe; `curl … | tar x` succeeds when curl\n"
       "fails. With `SHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]` the failure stops the build.",
       "RUN curl -s https://x | tar x\n",
       "SHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]\nRUN curl -s https://x | tar x\n"},
      // Shell rules (shell_rules.cc): what RUN commands do, read through a shell parse.
      {"PL230", "pointless-command", "DL3001", S::kInfo, G,
       "Commands like ssh, vim, shutdown, service, ps, free, top, kill and mount make no sense in a build",
       "A build step has no terminal, no init system and no other processes; these commands either\n"
       "fail or do nothing useful there.",
       "RUN service nginx start\n", "CMD [\"nginx\", \"-g\", \"daemon off;\"]\n"},
      {"PL231", "cd-in-run", "DL3003", S::kWarning, G, "Use WORKDIR to switch to a directory",
       "A `cd` lasts only for its RUN; WORKDIR says where the following instructions run and is\n"
       "easier to read.",
       "RUN cd /app && make\n", "WORKDIR /app\nRUN make\n"},
      {"PL232", "sudo", "DL3004", S::kError, G, "Do not use sudo",
       "Builds already run as root unless USER says otherwise; sudo needs a tty and configuration\n"
       "and behaves unpredictably. Use gosu or su-exec to drop privileges at run time.",
       "RUN sudo apt-get update\n", "USER root\nRUN apt-get update\n"},
      {"PL233", "apt-unpinned", "DL3008", S::kWarning, G, "Pin versions in apt-get install",
       "Unpinned packages install whatever the archive holds on the day of the build; pinned\n"
       "versions make the build reproducible and its changes visible in review.",
       "RUN apt-get install -y curl\n", "RUN apt-get install -y curl=7.88.1-10+deb12u5\n"},
      {"PL234", "apt-lists-left", "DL3009", S::kInfo, G, "Delete the apt-get lists after installing something",
       "`apt-get update` leaves tens of megabytes under /var/lib/apt/lists in the layer; remove them\n"
       "in the same RUN (or use a cache mount) in stages that ship.",
       "RUN apt-get update && apt-get install -y curl\n",
       "RUN apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*\n"},
      {"PL235", "pip-unpinned", "DL3013", S::kWarning, G, "Pin versions in pip install",
       "An unpinned pip install takes the newest release on the day of the build.",
       "RUN pip install requests\n", "RUN pip install requests==2.32.3\n"},
      {"PL236", "apt-no-yes", "DL3014", S::kWarning, G, "Use the -y switch with apt-get install",
       "Without -y apt-get asks for confirmation, which a build cannot give.",
       "RUN apt-get install curl=7.88.1-10+deb12u5\n", "RUN apt-get install -y curl=7.88.1-10+deb12u5\n"},
      {"PL237", "apt-recommends", "DL3015", S::kInfo, G, "Avoid additional packages: apt-get install --no-install-recommends",
       "Recommended packages are rarely needed in an image and make it larger.",
       "RUN apt-get install -y curl\n", "RUN apt-get install -y --no-install-recommends curl\n"},
      {"PL238", "npm-unpinned", "DL3016", S::kWarning, G, "Pin versions in npm install",
       "An unpinned npm install takes the newest release on the day of the build.",
       "RUN npm install express\n", "RUN npm install express@4.19.2\n"},
      {"PL239", "apk-unpinned", "DL3018", S::kWarning, G, "Pin versions in apk add",
       "An unpinned apk add takes whatever the repository holds on the day of the build.",
       "RUN apk add curl\n", "RUN apk add curl=8.9.1-r0\n"},
      {"PL240", "apk-no-cache", "DL3019", S::kInfo, G, "Use apk add --no-cache",
       "--no-cache fetches the index and leaves no cache behind, so no `apk update` and no\n"
       "`rm -rf /var/cache/apk/*` are needed.",
       "RUN apk add curl=8.9.1-r0\n", "RUN apk add --no-cache curl=8.9.1-r0\n"},
      {"PL241", "apt-not-apt-get", "DL3027", S::kWarning, G, "Do not use apt; use apt-get or apt-cache",
       "apt is meant for people at a terminal; its output and interface are not stable for scripts.",
       "RUN apt install -y curl\n", "RUN apt-get install -y curl\n"},
      {"PL242", "gem-unpinned", "DL3028", S::kWarning, G, "Pin versions in gem install",
       "An unpinned gem install takes the newest release on the day of the build.",
       "RUN gem install rake\n", "RUN gem install rake:13.2.1\n"},
      {"PL243", "yum-no-yes", "DL3030", S::kWarning, G, "Use the -y switch with yum install",
       "Without -y yum asks for confirmation, which a build cannot give.",
       "RUN yum install httpd-2.4.57\n", "RUN yum install -y httpd-2.4.57\n"},
      {"PL244", "yum-no-clean", "DL3032", S::kWarning, G, "`yum clean all` missing after yum install",
       "yum's cache stays in the layer unless the same RUN cleans it.",
       "RUN yum install -y httpd-2.4.57\n", "RUN yum install -y httpd-2.4.57 && yum clean all\n"},
      {"PL245", "yum-unpinned", "DL3033", S::kWarning, G, "Specify versions with yum install <package>-<version>",
       "An unpinned yum install takes whatever the repository holds on the day of the build.",
       "RUN yum install -y httpd && yum clean all\n", "RUN yum install -y httpd-2.4.57 && yum clean all\n"},
      {"PL246", "zypper-no-yes", "DL3034", S::kWarning, G, "Non-interactive switch missing from zypper",
       "Without -y (--no-confirm) zypper asks for confirmation, which a build cannot give.",
       "RUN zypper install curl=8.6.0\n", "RUN zypper install -y curl=8.6.0\n"},
      {"PL247", "zypper-dist-upgrade", "DL3035", S::kWarning, G, "Do not use zypper dist-upgrade",
       "A distribution upgrade in a build changes the base under the image; use a newer base instead.",
       "RUN zypper dist-upgrade -y\n", "FROM opensuse/leap:15.6\n"},
      {"PL248", "zypper-no-clean", "DL3036", S::kWarning, G, "`zypper clean` missing after zypper install",
       "zypper's cache stays in the layer unless the same RUN cleans it after installing.",
       "RUN zypper install -y curl=8.6.0\n", "RUN zypper install -y curl=8.6.0 && zypper clean\n"},
      {"PL249", "zypper-unpinned", "DL3037", S::kWarning, G, "Specify versions with zypper install <package>=<version>",
       "An unpinned zypper install takes whatever the repository holds on the day of the build.",
       "RUN zypper install -y curl && zypper clean\n", "RUN zypper install -y curl=8.6.0 && zypper clean\n"},
      {"PL250", "dnf-no-yes", "DL3038", S::kWarning, G, "Use the -y switch with dnf install",
       "Without -y dnf (and microdnf) ask for confirmation, which a build cannot give.",
       "RUN dnf install httpd-2.4.57 && dnf clean all\n", "RUN dnf install -y httpd-2.4.57 && dnf clean all\n"},
      {"PL251", "dnf-no-clean", "DL3040", S::kWarning, G, "`dnf clean all` missing after dnf install",
       "dnf's cache stays in the layer unless the same RUN cleans it after installing.",
       "RUN dnf install -y httpd-2.4.57\n", "RUN dnf install -y httpd-2.4.57 && dnf clean all\n"},
      {"PL252", "dnf-unpinned", "DL3041", S::kWarning, G, "Specify versions with dnf install <package>-<version>",
       "An unpinned dnf install takes whatever the repository holds on the day of the build.",
       "RUN dnf install -y httpd && dnf clean all\n", "RUN dnf install -y httpd-2.4.57 && dnf clean all\n"},
      {"PL253", "pip-cache", "DL3042", S::kWarning, G, "Use pip install --no-cache-dir",
       "pip's download cache is useless in an image and can be large.",
       "RUN pip install requests==2.32.3\n", "RUN pip install --no-cache-dir requests==2.32.3\n"},
      {"PL254", "useradd-high-uid", "DL3046", S::kWarning, G, "useradd with a high UID needs -l",
       "Without -l useradd fills /var/log/lastlog and faillog as sparse files sized by the UID,\n"
       "which the layer stores in full.",
       "RUN useradd -u 123456 app\n", "RUN useradd -l -u 123456 app\n"},
      {"PL255", "wget-progress", "DL3047", S::kInfo, G, "Avoid wget without a progress option",
       "wget's default progress bar floods the build log; use --progress=dot:giga, -q or -nv.",
       "RUN wget https://example.com/a.tar.gz\n", "RUN wget --progress=dot:giga https://example.com/a.tar.gz\n"},
      {"PL256", "consecutive-runs", "DL3059", S::kInfo, G, "Multiple consecutive RUN instructions; consider consolidation",
       "Each RUN is a layer; short RUNs in a row (two commands or fewer each, same flags) are\n"
       "usually better as one.",
       "RUN apt-get update\nRUN apt-get install -y curl\n", "RUN apt-get update && apt-get install -y curl\n"},
      {"PL257", "yarn-cache", "DL3060", S::kInfo, G, "`yarn cache clean` missing after yarn install",
       "yarn's cache stays in the layer unless the same RUN cleans it.",
       "RUN yarn install\n", "RUN yarn install && yarn cache clean\n"},
      {"PL258", "relink-sh", "DL4005", S::kWarning, G, "Use SHELL to change the default shell",
       "Relinking /bin/sh changes the shell of every later program in the image, not only of RUN.",
       "RUN ln -sf /bin/bash /bin/sh\n", "SHELL [\"/bin/bash\", \"-c\"]\n"},
      // Instruction rules of hadolint that need no shell parse (issue 17).
      {"PL280", "inline-ignore-pragma", "DL1001", S::kIgnore, G,
       "Please refrain from using inline ignore pragmas `# hadolint ignore=DLxxxx`",
       "Teams that want every exception in one reviewed place (.hadolint.yaml) turn this on; each\n"
       "inline ignore pragma is then reported. Off (severity ignore) by default, as in hadolint.",
       "# hadolint ignore=DL3006\nFROM debian\n", "FROM debian:12\n"},
      {"PL281", "copy-archive-then-extract", "DL3010", S::kInfo, G,
       "Use ADD for extracting archives into an image",
       "COPY of an archive followed by a RUN that unpacks it keeps the archive in a layer; ADD\n"
       "unpacks a local archive in one step and one layer.",
       "FROM debian:12\nCOPY app.tar.gz /tmp/\nRUN tar -xzf /tmp/app.tar.gz -C /opt\n",
       "FROM debian:12\nADD app.tar.gz /opt/\n"},
      {"PL282", "expose-port-range", "DL3011", S::kError, G, "Valid UNIX ports range from 0 to 65535",
       "A port outside 0-65535 cannot be exposed; the mistake is usually a typo.",
       "EXPOSE 80000\n", "EXPOSE 8000\n"},
      {"PL283", "multiple-healthcheck", "DL3012", S::kError, G, "Multiple HEALTHCHECK instructions",
       "Only the last HEALTHCHECK of a stage counts; the others mislead the reader.",
       "FROM debian:12\nHEALTHCHECK CMD [\"a\"]\nHEALTHCHECK CMD [\"b\"]\n",
       "FROM debian:12\nHEALTHCHECK CMD [\"b\"]\n"},
      {"PL284", "onbuild-forbidden-trigger", "DL3043", S::kError, G,
       "ONBUILD, FROM or MAINTAINER triggered from within ONBUILD instruction",
       "BuildKit refuses these triggers when the child image is built, long after this one was.",
       "FROM debian:12\nONBUILD FROM debian:12\n", "FROM debian:12\nONBUILD RUN [\"/setup\"]\n"},
      {"PL285", "env-self-reference", "DL3044", S::kError, G,
       "Do not refer to an environment variable within the same ENV statement where it is defined",
       "Within one ENV, a reference sees the value from before the instruction, not the one being\n"
       "set next to it; the result is rarely what was meant.",
       "ENV A=1 B=$A\n", "ENV A=1\nENV B=$A\n"},
      {"PL286", "instruction-order", "DL3061", S::kError, G,
       "Invalid instruction order. Dockerfile must begin with FROM, ARG or comment",
       "BuildKit refuses any instruction but ARG before the first FROM.",
       "LABEL a=b\nFROM debian:12\n", "FROM debian:12\nLABEL a=b\n"},
      {"PL287", "go-install-unpinned", "DL3062", S::kWarning, G,
       "Pin versions in go install. Instead of `go install <package>` use `go install <package>@<version>`",
       "An unpinned go install builds whatever the module's newest version is on the day.",
       "RUN go install example.com/tool\n", "RUN go install example.com/tool@v1.2.3\n"},
      {"PL288", "user-missing", "DL3063", S::kIgnore, G, "A USER instruction should be specified",
       "Without a USER the container runs as the base's user, often root. Off (severity ignore)\n"
       "by default, as in hadolint's source.",
       "FROM debian:12\nCMD [\"app\"]\n", "FROM debian:12\nUSER 65532\nCMD [\"app\"]\n"},
      {"PL289", "sensitive-arg-env", "DL3064", S::kWarning, G,
       "Potentially sensitive data should not be used in the ARG or ENV commands",
       "ARG and ENV values stay in the image's history and config, readable by anyone who pulls\n"
       "it; secrets go through `RUN --mount=type=secret`.",
       "ARG GITHUB_TOKEN\n", "RUN --mount=type=secret,id=github_token make\n"},
      {"PL290", "platform-targetplatform", "DL3065", S::kWarning, G,
       "Setting FROM --platform to predefined $TARGETPLATFORM is redundant as this is the default behavior",
       "A stage is built for the target platform unless told otherwise; the flag adds nothing.",
       "FROM --platform=$TARGETPLATFORM debian:12\n", "FROM debian:12\n"},
      {"PL291", "user-non-numeric", "DL3066", S::kInfo, G,
       "Non-numeric user-id may not be resolvable by host system",
       "Kubernetes' runAsNonRoot and host tools see uids, not names; a name needs the image's\n"
       "/etc/passwd to mean anything.",
       "FROM debian:12\nUSER app\n", "FROM debian:12\nUSER 10001:10001\n"},
      {"PL292", "copy-entire-filesystem", "DL3067", S::kWarning, G,
       "Do not copy an entire filesystem from another stage",
       "COPY --from=stage / / brings the whole stage, build tools included, and defeats the\n"
       "point of a multi-stage build.",
       "FROM debian:12 AS build\nFROM scratch\nCOPY --from=build / /\n",
       "FROM debian:12 AS build\nFROM scratch\nCOPY --from=build /app /app\n"},
      // Label schema rules (`label-schema` and `strict-labels` in .hadolint.yaml).
      {"PL300", "label-key-invalid", "DL3048", S::kStyle, G, "Invalid label key",
       "Label keys are lower-case alphanumerics with single dots and dashes, start with a letter,\n"
       "end with a letter or digit, and stay out of Docker's reserved namespaces.",
       "LABEL Maintainer=me\n", "LABEL org.opencontainers.image.authors=me\n"},
      {"PL301", "label-missing", "DL3049", S::kInfo, G, "A label the label schema requires is missing",
       "With `label-schema` set, every image carries each label it names.",
       "# label-schema: {version: semver}\nFROM debian:12\n",
       "FROM debian:12\nLABEL version=1.0.0\n"},
      {"PL302", "label-superfluous", "DL3050", S::kInfo, G, "Superfluous label(s) present",
       "With `strict-labels: true`, labels outside the label schema are reported.",
       "# label-schema: {version: semver}, strict-labels: true\nLABEL other=x\n",
       "LABEL version=1.0.0\n"},
      {"PL303", "label-empty", "DL3051", S::kWarning, G, "A label of the schema is empty",
       "An empty value of a label the schema names says nothing.", "LABEL version=\"\"\n",
       "LABEL version=1.0.0\n"},
      {"PL304", "label-not-url", "DL3052", S::kWarning, G, "A label of type url is not a valid URL",
       "Consumers of `url` labels open them; a value that is no absolute URL is a mistake.",
       "LABEL org.opencontainers.image.source=github/me\n",
       "LABEL org.opencontainers.image.source=https://github.com/me/app\n"},
      {"PL305", "label-not-rfc3339", "DL3053", S::kWarning, G,
       "A label of type rfc3339 is not a valid RFC 3339 time",
       "Dates in labels are machine-read; RFC 3339 (2024-05-01T10:00:00Z) is what they expect.",
       "LABEL org.opencontainers.image.created=yesterday\n",
       "LABEL org.opencontainers.image.created=2024-05-01T10:00:00Z\n"},
      {"PL306", "label-not-spdx", "DL3054", S::kWarning, G,
       "A label of type spdx is not a valid SPDX license identifier",
       "Licence scanners read SPDX identifiers (MIT, Apache-2.0) and expressions of them.",
       "LABEL org.opencontainers.image.licenses=\"Apache 2\"\n",
       "LABEL org.opencontainers.image.licenses=Apache-2.0\n"},
      {"PL307", "label-not-git-hash", "DL3055", S::kWarning, G,
       "A label of type hash is not a valid git hash",
       "A revision label holds a commit: 40 hexadecimal digits, or a 7-digit short hash.",
       "LABEL org.opencontainers.image.revision=main\n",
       "LABEL org.opencontainers.image.revision=0123456789abcdef0123456789abcdef01234567\n"},
      {"PL308", "label-not-semver", "DL3056", S::kWarning, G,
       "A label of type semver does not conform to semantic versioning",
       "Tools order and compare versions by SemVer 2.0.0.", "LABEL version=v1\n",
       "LABEL version=1.0.0\n"},
      {"PL309", "label-not-email", "DL3058", S::kWarning, G,
       "A label of type email is not a valid RFC 5322 email address",
       "A contact label that is no address reaches nobody.", "LABEL maintainer=me\n",
       "LABEL maintainer=me@example.com\n"},
      {"PL320", "shellcheck", "", S::kWarning, G, "ShellCheck finding in a RUN command (SCxxxx)",
       "Every shell-form RUN is checked by ShellCheck (Debian's `shellcheck`) with the stage's\n"
       "shell and the ARG/ENV names declared before it; its findings carry their own SC code and\n"
       "severity and can be silenced by SC code, or all of them by PL320 or `shellcheck`.",
       "RUN echo $1\n", "RUN echo \"$1\"\n"},
  };
}

}  // namespace

std::vector<std::string> Rule::Aliases() const {
  std::vector<std::string> out;
  if (!hadolint.empty()) out.push_back(hadolint);
  out.push_back(slug);
  return out;
}

const std::vector<Rule>& Rules() {
  static const std::vector<Rule> rules = MakeRules();
  return rules;
}

const Rule* FindRule(std::string_view name) {
  std::string wanted = AsciiLower(name);
  for (const auto& r : Rules()) {
    if (AsciiLower(r.code) == wanted || AsciiLower(r.hadolint) == wanted || r.slug == wanted) return &r;
  }
  return nullptr;
}

std::string ExplainRule(const Rule& rule) {
  std::string out = rule.code + " (" + rule.slug + (rule.hadolint.empty() ? "" : ", " + rule.hadolint) +
                    "): " + rule.summary + "\n";
  out += std::string("severity: ") + SeverityName(rule.severity) +
         (rule.scope == RuleScope::kFleet ? "; applies to services of a fleet (plinth.yaml)\n"
                                          : "; applies to every Dockerfile\n");
  out += "\n" + rule.rationale + "\n";
  auto indent = [](const std::string& text) {
    std::string r;
    size_t start = 0;
    while (start < text.size()) {
      size_t nl = text.find('\n', start);
      if (nl == std::string::npos) nl = text.size();
      r += "    " + text.substr(start, nl - start) + "\n";
      start = nl + 1;
    }
    return r;
  };
  out += "\nReported:\n" + indent(rule.bad) + "\nInstead:\n" + indent(rule.good);
  out += "\nSilence it on one instruction with `# plinth ignore=" + rule.code + "`" +
         (rule.hadolint.empty() ? "" : " or `# hadolint ignore=" + rule.hadolint + "`") + ".\n";
  return out;
}

}  // namespace plinth::lint
