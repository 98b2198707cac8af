// Package recognize owns reading text from rectified crops: the PP-OCR angle classifier
// (0°/180°), the CTC recogniser with its dictionary, width-bucketed batching of crops,
// greedy CTC decoding that keeps per-character probabilities and each frame's top classes,
// and a CTC prefix beam search constrained by a caller's grammar (DecodeConstrained).
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
	class map[string]int32 // the first class of each character, for SpanProb
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
	class := make(map[string]int32, len(chars))
	for i := len(chars) - 1; i > 0; i-- {
		class[chars[i]] = int32(i)
	}
	return &Dictionary{chars: chars, class: class}, nil
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
	// Frames keeps each CTC frame's most probable classes, so a date-aware decoder can
	// revisit the model's second choices without running it again (see DecodeConstrained).
	Frames []Frame
	// Greedy and Prob are set when the text was re-read by DecodeConstrained: the greedy
	// reading it replaced, and the replacement's share of the decoded probability mass.
	Greedy string
	Prob   float64
}

// TopK is how many classes a Frame keeps. Measured on the project's photos: the right digit
// of a misread dot-matrix character is nearly always the second or third choice.
const TopK = 4

// minKeep drops choices too improbable to matter from a Frame (they only widen the beam).
const minKeep = 0.005

// Frame is one CTC step's TopK classes, most probable first; unused slots have Prob 0.
type Frame struct {
	Class [TopK]int32
	Prob  [TopK]float32
}

// DecodeGreedy is best-path CTC decoding of one crop's [T, C] softmax output: argmax per frame,
// repeated classes merged, blanks removed. It also keeps each frame's top classes.
func (d *Dictionary) DecodeGreedy(probs []float32, frames, classes int) Text {
	var sb strings.Builder
	var cp []float32
	var sum float64
	fs := make([]Frame, frames)
	prev := -1
	for t := range frames {
		row := probs[t*classes : (t+1)*classes]
		f := &fs[t]
		for c, p := range row {
			if p <= f.Prob[TopK-1] {
				continue
			}
			k := TopK - 1
			for k > 0 && p > f.Prob[k-1] {
				f.Prob[k], f.Class[k] = f.Prob[k-1], f.Class[k-1]
				k--
			}
			f.Prob[k], f.Class[k] = p, int32(c)
		}
		for k := 1; k < TopK; k++ {
			if f.Prob[k] < minKeep {
				f.Prob[k], f.Class[k] = 0, 0
			}
		}
		best, bp := int(f.Class[0]), f.Prob[0]
		if best != 0 && best != prev && best < len(d.chars) {
			sb.WriteString(d.chars[best])
			for range []rune(d.chars[best]) {
				cp = append(cp, bp)
			}
			sum += float64(bp)
		}
		prev = best
	}
	t := Text{Text: sb.String(), CharProbs: cp, Frames: fs}
	if len(cp) > 0 {
		t.Confidence = sum / float64(len(cp))
		t.Text = strings.TrimSpace(t.Text)
	}
	return t
}
