#!/bin/bash
# Runs on the instance after each deployment: one line in /var/log/eb-hooks.log with the running containers.
set -euo pipefail
echo "$(date -u +%FT%TZ) deployed: $(docker ps --format '{{.Image}}' | tr '\n' ' ')"
