#!/usr/bin/env bash
# Makes the labelled sets a change to the reader is measured on, so that the figures of a
# stop note can be rerun: rendered sets (fixed seeds), and the development photos changed as
# photos taken another way are (turned, askew, shrunk, blurred, dimmed, compressed, noisy,
# in perspective). Compare two builds on them with `datalid eval SET --format json` and
# `eval --compare`.
#
#   scripts/eval-sets.sh OUT [PHOTOS]     (PHOTOS: default ../shared/data/photos)
#   ONLY="t90 blur" scripts/eval-sets.sh OUT    makes only the sets named
#   EVAL_BIN=/path/to/datalid                   another build than bin/datalid
#
# The changed photos need ImageMagick 6 (Debian: apt-get install imagemagick); without it the
# rendered and turned sets are still made. A set is complete once its labels.csv is written
# (last), so a reader never takes a half-made set for a whole one; an interrupted run resumes
# where it stopped.
set -euo pipefail

out=${1:?usage: scripts/eval-sets.sh OUT [PHOTOS]}
photos=${2:-../shared/data/photos}
bin=${EVAL_BIN:-bin/datalid}
[ -x "$bin" ] || { echo "eval-sets: $bin not built (make build)" >&2; exit 1; }
mkdir -p "$out"

# done_set: made already, or not asked for.
done_set() { [ -f "$out/$1/labels.csv" ] || { [ -n "${ONLY:-}" ] && [[ " $ONLY " != *" $1 "* ]]; }; }

# Rendered: hard layouts and inkjet dot-matrix, each seed a set, and make eval-synth's 500.
synth() {
	local name=$1; shift
	done_set "$name" && return
	echo "eval-sets: $name" >&2
	rm -rf "$out/$name.tmp"
	"$bin" synth --out "$out/$name.tmp" "$@" >/dev/null
	mv "$out/$name.tmp" "$out/$name"
}
synth hard7 --hard -n 120 --seed 7
for s in 13 29 31 37 41 43 47 53 59 61 67; do synth "hard$s" --hard -n 80 --seed "$s"; done
for s in 11 23 37 41 43 47 53 59 61 67 71 73 79; do synth "ink$s" --layouts inkjet -n 60 --seed "$s"; done
synth syn500 -n 500 --seed 1
# Larger sets read to find what fails (mining), so no clean check of what they inspired.
synth mineh --hard -n 200 --seed 101
synth minei --layouts inkjet -n 200 --seed 103
synth minej --layouts inkjet -n 200 --seed 107

[ -f "$photos/labels.csv" ] || { echo "eval-sets: no $photos/labels.csv: only the rendered sets made" >&2; exit 0; }

# Turned and shrunk by datalid itself (eval --save keeps the bytes it read).
reshoot() {
	local name=$1; shift
	done_set "$name" && return
	echo "eval-sets: $name" >&2
	"$bin" eval "$photos" --labels "$photos/labels.csv" "$@" --save "$out/$name" >/dev/null
	cp "$photos/labels.csv" "$out/$name/labels.csv"
}
reshoot t90 --turn 90
reshoot t180 --turn 180
reshoot t270 --turn 270
reshoot askew10 --turn 10
reshoot askewm10 --turn -10
reshoot shrink35 --shrink 0.35

# Changed by ImageMagick: the stand-in some machines have answers without converting.
im=$(command -v convert-im6.q16 || command -v convert || true)
if [ -z "$im" ] || ! "$im" -version 2>/dev/null | grep -q ImageMagick; then
	echo "eval-sets: ImageMagick not installed (apt-get install imagemagick): the changed-photo sets are not made" >&2
	exit 0
fi
size() { "$im" "$1" -format '%w %h' info:; }
change() {
	local name=$1 f b wh
	done_set "$name" && return
	echo "eval-sets: $name" >&2
	mkdir -p "$out/$name"
	for f in "$photos"/*; do
		case ${f,,} in *.jpg | *.jpeg | *.png) ;; *) continue ;; esac
		b=$(basename "$f")
		wh=$(size "$f" 2>/dev/null)
		"$name" "$f" "$out/$name/$b" "${wh% *}" "${wh#* }" 2>/dev/null
	done
	cp "$photos/labels.csv" "$out/$name/labels.csv"
}
# Each takes IN OUT WIDTH HEIGHT.
blur() { "$im" "$1" -gaussian-blur "0x$(awk -v w="$3" 'BEGIN { s = w / 1400; print (s < 0.7 ? 0.7 : s) }')" -quality 92 "$2"; }
dim() { "$im" "$1" -level 0%,100%,0.6 +level 15%,70% -quality 92 "$2"; }
q25() { "$im" "$1" -resize 70% -quality 25 "$2"; }
far60() { "$im" "$1" -virtual-pixel Edge -distort SRT 0.6,0 -quality 92 "$2"; }
noise() { "$im" "$1" -attenuate 0.5 +noise Gaussian -quality 88 "$2"; }
persp() {
	local dx=$(($3 * 7 / 100)) dy=$(($4 * 5 / 100))
	"$im" "$1" -virtual-pixel Edge -distort Perspective "0,0 $dx,$dy  $3,0 $(($3 - 1)),0  0,$4 0,$4  $3,$4 $(($3 - dx)),$(($4 - dy))" -quality 90 "$2"
}
half50() { "$im" "$1" -resize 50% -quality 60 "$2"; }
for c in blur dim q25 far60 noise persp half50; do change "$c"; done
echo "eval-sets: sets in $out" >&2
