#!/bin/bash
# Installs and starts one role of the app on an instance, then waits until that role's /health
# answers 200 - the launch template's user data signals CloudFormation only after this succeeds,
# so "created" and "rolled" mean serving, not merely booted.
# Usage: start.sh api|worker HEALTH_URL   (config in /etc/imagery/<role>.env, written by user data)
set -euo pipefail
role=$1 health_url=$2
here=$(cd "$(dirname "$0")" && pwd)

id -u imagery >/dev/null 2>&1 || useradd --system --no-create-home --shell /sbin/nologin imagery
chmod 0640 "/etc/imagery/$role.env" && chgrp imagery "/etc/imagery/$role.env"
install -m 0644 "$here/imagery@.service" "$here/imagery-lifecycle@.service" /etc/systemd/system/
systemctl daemon-reload
systemctl enable --now "imagery@$role.service" "imagery-lifecycle@$role.service"

for _ in $(seq 60); do
  if curl -fsS -o /dev/null --max-time 5 "$health_url"; then exit 0; fi
  sleep 5
done
echo "imagery@$role: $health_url not healthy after 5 minutes" >&2
journalctl -u "imagery@$role" -n 50 --no-pager >&2 || true
exit 1
