#!/bin/bash
# Scale-in without losing work. The group's termination lifecycle hook holds a leaving instance in
# Terminating:Wait, and IMDS then reports its target lifecycle state as "Terminated": stop the app
# now (SIGTERM: the API drains, the worker finishes its jobs) rather than be cut off at shutdown.
# The hook's heartbeat timeout then lets the termination continue.
# Usage: lifecycle-watch.sh api|worker
set -uo pipefail
role=$1 imds=http://169.254.169.254/latest
while sleep 5; do
  token=$(curl -fsS --max-time 2 -X PUT "$imds/api/token" -H 'X-aws-ec2-metadata-token-ttl-seconds: 60') || continue
  state=$(curl -fsS --max-time 2 -H "X-aws-ec2-metadata-token: $token" "$imds/meta-data/autoscaling/target-lifecycle-state") || continue
  if [ "$state" = Terminated ]; then
    echo "scale-in: stopping imagery@$role"
    systemctl stop "imagery@$role.service"
    exit 0
  fi
done
