#!/usr/bin/env bash
# Fails when a Go file grows past the project's size limit or a package lacks its comment.
set -euo pipefail
limit=${MAX_LINES:-800}
bad=0
for f in $(git ls-files '*.go' 2>/dev/null || find . -name '*.go' -not -path './.cache/*'); do
  n=$(wc -l <"$f")
  if [ "$n" -gt "$limit" ]; then echo "check-files: $f has $n lines (limit $limit)"; bad=1; fi
done
for d in $(go list -f '{{if not .ForTest}}{{.Dir}}{{end}}' ./...); do
  if ! grep -qs '^// Package \|^// Command ' "$d"/*.go; then echo "check-files: no package comment in $d"; bad=1; fi
done
exit $bad
