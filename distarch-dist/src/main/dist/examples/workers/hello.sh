#!/bin/sh
# A worker in plain POSIX sh (docs/worker-protocol.md): who it is comes from the environment, every line it
# prints is an info line of its log, and it stops on SIGTERM.
trap 'echo "worker $DA_ID: asked to stop, bye"; exit 0' TERM
echo "worker $DA_ID ($DA_GROUP_ID of $DA_GROUP_COUNT) of group $DA_GROUP_NAME started, params $DA_PARAMS"
i=0
while :; do
  i=$((i + 1))
  echo "worker $DA_ID: round $i"
  sleep 1 &
  wait $!
done
