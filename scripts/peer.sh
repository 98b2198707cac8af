#!/usr/bin/env bash
# Side by side with the peer @gutenye/ocr-node (same models, same ONNX Runtime), same photos,
# same run: accuracy and throughput of both. Not part of CI; needs node + npm.
#
#   scripts/peer.sh [PHOTOS_DIR [LABELS_CSV]]     (default ../shared/data/photos)
#
# The peer is installed into a temporary folder with ONNXRUNTIME_NODE_INSTALL=skip: its
# runtime's install script would try to download CUDA files; the CPU library ships inside
# the package anyway.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
photos=$(realpath "${1:-$root/../shared/data/photos}")
labels=$(realpath "${2:-$photos/labels.csv}")
datalid="$root/bin/datalid"
[ -x "$datalid" ] || (cd "$root" && make build >/dev/null)

work=${PEER_DIR:-$(mktemp -d /tmp/datalid-peer.XXXXXX)}
if [ ! -d "$work/node_modules/@gutenye/ocr-node" ]; then
  echo "installing @gutenye/ocr-node@1.4.8 into $work" >&2
  (cd "$work" && echo '{"name":"peer","private":true,"type":"module"}' > package.json &&
    ONNXRUNTIME_NODE_INSTALL=skip npm install --no-audit --no-fund --silent @gutenye/ocr-node@1.4.8 >&2)
fi
cp "$root/scripts/peer.mjs" "$work/peer.mjs"

echo "== peer: @gutenye/ocr-node, one photo at a time"
peer_time=$( { /usr/bin/time -f '%M' node "$work/peer.mjs" "$photos" "$labels" "$datalid" > "$work/peer.out"; } 2>&1 | tail -1)
cat "$work/peer.out"
echo "(peer peak RSS from time(1): $((peer_time / 1024)) MB)"

echo
echo "== datalid: accuracy (eval, 1 worker) and speed (bench, 1 and 2 workers)"
"$datalid" eval "$photos" --labels "$labels" --workers 1 | tail -2
"$datalid" bench "$photos" --concurrency 1,2 --format json |
  node -e 'const r=JSON.parse(require("fs").readFileSync(0,"utf8"));for(const x of r.results)console.log(JSON.stringify({datalid:x.name,throughput_ips:+x.throughput_ips.toFixed(2),latency_ms:{mean:+x.latency_ms.mean.toFixed(0),p50:+x.latency_ms.p50.toFixed(0),p95:+x.latency_ms.p95.toFixed(0)},peak_rss_bytes:x.peak_rss_bytes}))'
[ -n "${PEER_DIR:-}" ] || rm -rf "$work"
