# Groups the rows of `datalid eval DIR` (table format) by the layout column of
# a synthetic set's labels.csv (written by `datalid synth`), so each hard
# layout family gets its own exact-match figure.
#
# usage: datalid eval DIR > eval.txt; awk -f scripts/synth-by-layout.awk DIR/labels.csv eval.txt
# The layout is the last CSV field, which no quoted printed_text can shift.
FNR == NR { if (FNR > 1) { k = split($0, f, ","); layout[f[1]] = f[k] } next }
# The outcome is found by its value, not its column: eval's table grows columns (CONF, a
# bracketed withheld date) that move it.
($1 in layout) {
	o = ""
	for (i = 3; i <= NF && o == ""; i++) if ($i ~ /^(right_date|wrong_date|text_no_date|no_text|error|unreadable)$/) o = $i
	l = layout[$1]; n[l]++; out[l, o]++; total++; right += (o == "right_date")
}
END {
	printf "%-10s %4s %7s %6s %6s %7s %6s %6s\n", "LAYOUT", "N", "EXACT", "right", "wrong", "no_date", "no_txt", "error"
	for (l in n)
		printf "%-10s %4d %6.1f%% %6d %6d %7d %6d %6d\n", l, n[l], 100 * out[l, "right_date"] / n[l],
			out[l, "right_date"], out[l, "wrong_date"], out[l, "text_no_date"], out[l, "no_text"], out[l, "error"] | "sort"
	close("sort")
	if (total) printf "%-10s %4d %6.1f%%\n", "all", total, 100 * right / total
}
