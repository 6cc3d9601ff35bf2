#!/bin/sh
# A worker in plain POSIX sh, following docs/worker-protocol.md.
# Identity comes from the environment; every line printed is an info log line of this process.
trap 'echo "got SIGTERM, bye"; exit 0' TERM
echo "shell worker $DA_ID ($DA_GROUP_ID of $DA_GROUP_COUNT) in group $DA_GROUP_NAME, params $DA_PARAMS"
i=0
while :; do
  i=$((i + 1))
  if [ $((i % 5)) -eq 0 ]; then
    echo "@@distarch log warn iteration $i: five more done"
  else
    echo "@@distarch ping"
  fi
  sleep 2 &
  wait $!
done
