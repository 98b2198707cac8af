// Package recognize owns reading text from rectified crops: the PP-OCR angle classifier
// (0°/180°), the CTC recogniser with its dictionary, width-bucketed batching of crops, and
// greedy CTC decoding that keeps per-character probabilities for the date logic.
package recognize

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"strings"
)

// Dictionary maps CTC class indices to characters: index 0 is the blank, 1..n the lines of
// the dictionary file, n+1 the space PaddleOCR appends (use_space_char).
type Dictionary struct {
	chars []string
}

// LoadDictionary reads a PaddleOCR key file (one character per line).
func LoadDictionary(path string) (*Dictionary, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("recognize: dictionary: %w", err)
	}
	return ParseDictionary(data)
}

// ParseDictionary builds a dictionary from key-file contents.
func ParseDictionary(data []byte) (*Dictionary, error) {
	chars := []string{""} // blank
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		chars = append(chars, strings.TrimRight(sc.Text(), "\r"))
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("recognize: dictionary: %w", err)
	}
	if len(chars) < 2 {
		return nil, fmt.Errorf("recognize: dictionary is empty")
	}
	chars = append(chars, " ")
	return &Dictionary{chars: chars}, nil
}

// Classes is the number of model output classes the dictionary expects.
func (d *Dictionary) Classes() int { return len(d.chars) }

// Char returns the character of class i ("" for the blank).
func (d *Dictionary) Char(i int) string { return d.chars[i] }

// Text is one recognised crop.
type Text struct {
	Text       string
	Confidence float64   // mean probability of the kept characters (0 when empty)
	CharProbs  []float32 // one per rune of Text
}

// DecodeGreedy is best-path CTC decoding of one crop's [T, C] softmax output: argmax per frame,
// repeated classes merged, blanks removed.
func (d *Dictionary) DecodeGreedy(probs []float32, frames, classes int) Text {
	var sb strings.Builder
	var cp []float32
	var sum float64
	prev := -1
	for t := range frames {
		row := probs[t*classes : (t+1)*classes]
		best, bp := 0, row[0]
		for c, p := range row[1:] {
			if p > bp {
				best, bp = c+1, p
			}
		}
		if best != 0 && best != prev && best < len(d.chars) {
			sb.WriteString(d.chars[best])
			for range []rune(d.chars[best]) {
				cp = append(cp, bp)
			}
			sum += float64(bp)
		}
		prev = best
	}
	t := Text{Text: sb.String(), CharProbs: cp}
	if len(cp) > 0 {
		t.Confidence = sum / float64(len(cp))
		t.Text = strings.TrimSpace(t.Text)
	}
	return t
}
