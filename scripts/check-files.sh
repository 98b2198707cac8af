#!/usr/bin/env bash
# Fails when a Go file grows past the project's size limit or a package lacks its comment.
set -euo pipefail
limit=${MAX_LINES:-800}
bad=0
for f in $(git ls-files '*.go' 2>/dev/null || find . -name '*.go' -not -path './.cache/*'); do
  # generated code (protoc-gen-go) is exempt: nobody edits it by hand
  head -20 "$f" | grep -q '^// Code generated .* DO NOT EDIT\.$' && continue
  n=$(wc -l <"$f")
  if [ "$n" -gt "$limit" ]; then echo "check-files: $f has $n lines (limit $limit)"; bad=1; fi
done
for d in $(go list -f '{{if not .ForTest}}{{.Dir}}{{end}}' ./...); do
  if ! grep -qs '^// Package \|^// Command ' "$d"/*.go; then echo "check-files: no package comment in $d"; bad=1; fi
done
exit $bad
