#!/usr/bin/env bash
# The test command: prepares a fresh machine (scripts/setup.sh), builds our images from
# their Dockerfiles (hack/build-images.sh: buildah, no Docker; cached by their inputs) for
# the tests on the real node, then builds and runs every module's tests with the pinned Maven.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export DJL_OFFLINE=true
bash hack/build-images.sh >/dev/null
exec ./mvnw -B -ntp verify "$@"
