#!/usr/bin/env bash
# Describes the machine benchmark numbers come from: benchmarks/machine.sh > benchmarks/results/MACHINE.md
# The load average matters: on a shared machine other processes compete for the same cores.
set -euo pipefail
echo "# The machine the committed results were measured on"
echo
echo "Recorded $(date -u '+%Y-%m-%d %H:%M UTC') by \`benchmarks/machine.sh\`."
echo
echo '```'
echo "\$ nproc"; nproc
echo "\$ free -h"; free -h
echo "\$ lscpu | head -20 | grep -v Flags"; lscpu | head -20 | grep -v Flags
echo "\$ cat /proc/loadavg"; cat /proc/loadavg
echo "\$ uname -srm"; uname -srm
echo "\$ java -version"; java -version 2>&1
echo "\$ df -h /tmp"; df -h /tmp
echo '```'
