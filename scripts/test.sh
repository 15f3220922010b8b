#!/usr/bin/env bash
# The test command: prepares a fresh machine (scripts/setup.sh), then builds and
# runs every module's tests with the pinned Maven.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export DJL_OFFLINE=true
exec ./mvnw -B -ntp verify "$@"
