// Package editdist measures how many single-byte edits turn one string into another: the
// config loader's "did you mean" for a misspelt key, the date parser's misread keywords.
package editdist

// Distance is the Levenshtein distance between a and b, in bytes; same, when not nil,
// decides which bytes match (a digit OCR gives for a letter, say), else they must be equal.
func Distance(a, b string, same func(x, y byte) bool) int {
	// Two rows of len(b)+1; the words compared are short, so they usually fit on the stack.
	var buf [2 * stackRow]int
	var prev, cur []int
	if len(b) < stackRow {
		prev, cur = buf[:len(b)+1], buf[stackRow:stackRow+len(b)+1]
	} else {
		prev, cur = make([]int, len(b)+1), make([]int, len(b)+1)
	}
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] || same != nil && same(a[i-1], b[j-1]) {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// stackRow is the row length Distance keeps on the stack.
const stackRow = 32
