#!/bin/sh
# A kubeconfig exec credential plugin for tests: each run hands out the next token, tok-1, tok-2, ..., expiring
# in $TTL seconds, and counts its runs in $STATE.
n=$(cat "$STATE" 2>/dev/null || echo 0)
n=$((n + 1))
echo "$n" > "$STATE"
exp=$(date -u -d "+${TTL:-3600} seconds" +%Y-%m-%dT%H:%M:%SZ)
printf '{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"tok-%s","expirationTimestamp":"%s"}}\n' "$n" "$exp"
