#!/usr/bin/env bash
# Compares the read latency of this working tree with an earlier commit on the same photos.
# Both binaries read the folder alternately (base, new, base, new, …) with one worker so they
# see the same machine noise; each photo's time is its median over the rounds, and the
# summary is the median over photos of those, plus the ratio new/base.
#
# Usage: scripts/latency-compare.sh [-r ROUNDS] [-b REF] [DIR]
#   REF defaults to eaf90e2, the last commit before the second looks and the date grammar
#   (issue 3); DIR defaults to ../shared/data/photos. Extra eval flags: EVAL_FLAGS; settings
#   for the new binary only (the old one refuses variables it does not know): NEW_ENV, e.g.
#   NEW_ENV="DATALID_PIPELINE_LEND_IDLE_CORES=false" for the same CPU per read as before.
set -euo pipefail

rounds=5
ref=eaf90e2
while getopts "r:b:" o; do
	case $o in
	r) rounds=$OPTARG ;;
	b) ref=$OPTARG ;;
	*) echo "usage: $0 [-r ROUNDS] [-b REF] [DIR]" >&2; exit 2 ;;
	esac
done
shift $((OPTIND - 1))
dir=${1:-../shared/data/photos}

command -v jq >/dev/null || { echo "latency-compare: needs jq (apt-get install -y jq)" >&2; exit 1; }
[ -d "$dir" ] || { echo "latency-compare: no folder $dir" >&2; exit 1; }
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'git -C "$root" worktree remove --force "$work/base" >/dev/null 2>&1 || true; rm -rf "$work"' EXIT

make -C "$root" --no-print-directory setup >&2 # the verified models and runtime both binaries read
echo "building $ref and the working tree…" >&2
git -C "$root" worktree add --detach "$work/base" "$ref" >/dev/null 2>&1
(cd "$work/base" && go build -o "$work/datalid-base" ./cmd/datalid)
(cd "$root" && go build -o "$work/datalid-new" ./cmd/datalid)
# Both read the same verified models and runtime, wherever this tree keeps them.
export DATALID_MODELS_DIR=${DATALID_MODELS_DIR:-$root/models}

for i in $(seq 1 "$rounds"); do
	for v in base new; do
		echo "round $i/$rounds: $v" >&2
		# CPU seconds (user+sys) of the whole pass, so latency bought with idle cores shows.
		TIMEFORMAT='%U %S'
		# shellcheck disable=SC2086
		envs=()
		[ "$v" = new ] && [ -n "${NEW_ENV:-}" ] && read -r -a envs <<<"$NEW_ENV"
		{ time env ${envs[@]+"${envs[@]}"} "$work/datalid-$v" eval "$dir" --workers 1 --format json ${EVAL_FLAGS:-} >"$work/$v.$i.json" 2>"$work/$v.err"; } 2>>"$work/$v.cpu" ||
			{ echo "latency-compare: the $v binary failed:" >&2; cat "$work/$v.err" >&2; exit 1; }
	done
done

# Per photo: median seconds over the rounds; then the median over photos.
summary() {
	jq -s '
	  def median: sort | if length == 0 then null elif length % 2 == 1 then .[length/2|floor]
	              else (.[length/2-1] + .[length/2]) / 2 end;
	  [.[].items[]] | group_by(.file)
	  | map({file: .[0].file, outcome: .[-1].outcome, seconds: ([.[].seconds] | median)})' "$work/$1".*.json
}
summary base >"$work/base.sum"
summary new >"$work/new.sum"
jq -rn --slurpfile b "$work/base.sum" --slurpfile n "$work/new.sum" '
  def median: sort | if length % 2 == 1 then .[length/2|floor] else (.[length/2-1] + .[length/2]) / 2 end;
  def ms: . * 1000 | round;
  ($b[0] | map({(.file): .}) | add) as $B
  | ["photo", "base ms", "new ms", "base outcome", "new outcome"],
    ($n[0][] | [.file, ($B[.file].seconds | ms), (.seconds | ms), $B[.file].outcome, .outcome]),
    [],
    ["median", ($b[0] | map(.seconds) | median | ms), ($n[0] | map(.seconds) | median | ms)],
    ["ratio new/base", (($n[0] | map(.seconds) | median) / ($b[0] | map(.seconds) | median) * 100 | round / 100)]
  | @tsv' | column -t -s $'\t'
cpu() { awk '{s += $1 + $2; n++} END {printf "%.1f", s / n}' "$work/$1.cpu"; }
echo "CPU seconds per pass over the folder (user+sys, mean of $rounds): base $(cpu base), new $(cpu new)"
