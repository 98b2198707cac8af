package config

import (
	"slices"
	"strings"
)

// SecondLookConfig bounds the extra work spent on a photo whose first pass found no
// confident date. A photo whose best date reaches min_confidence pays nothing for it.
type SecondLookConfig struct {
	Enabled bool `yaml:"enabled"`
	// MinConfidence is the best-date confidence (0..1) that skips the second looks.
	MinConfidence float64 `yaml:"min_confidence"`
	// BeamWidth is the date-aware CTC decoder's beam (prefixes kept per frame); 0 = off.
	BeamWidth int `yaml:"beam_width"`
	// MinBeamProb is the least probability share a decoder re-read needs to be used.
	MinBeamProb float64 `yaml:"min_beam_prob"`
	// TileGrid runs the detector again over tile_grid × tile_grid tiles; 0 or 1 = off.
	TileGrid int `yaml:"tile_grid"`
	// TileOverlap is the fraction of a tile shared with its neighbour.
	TileOverlap float64 `yaml:"tile_overlap"`
	// DotMatrix reads the photo once more with dot-matrix dots merged into strokes.
	DotMatrix bool `yaml:"dot_matrix"`
	// Dense detects the text-dense areas of the first pass again at the decoded image's full
	// resolution, scaled to the detector's best text height (small print on large photos).
	Dense bool `yaml:"dense"`
	// Sideways reads the photo again turned a quarter when most regions found stand taller
	// than wide (text running up or down the page).
	Sideways bool `yaml:"sideways"`
}

// PreprocessingConfig holds crop preprocessing chains: step names joined by "+", from
// clahe, sharpen, median, denoise, threshold, adaptive, invert, negative, flip, dots, joindots, deskew, pad,
// upscale, gray, gray_world (Datalid's steps), and expand, which as a first step re-crops
// the region with its box grown along the line; "" or "none" is no step.
type PreprocessingConfig struct {
	// Profile is applied to every crop before the recognition engine (PP-OCR) reads it.
	Profile string `yaml:"profile"`
	// RetryVariants are tried in order on crops whose reading has no date (second look).
	RetryVariants []string `yaml:"retry_variants"`
	// MaxRetryRegions is how many crops of one photo a retry re-reads.
	MaxRetryRegions int `yaml:"max_retry_regions"`
	// JoinDots reads every crop whose ink is dot-matrix dots a second time with the dots
	// joined into strokes at the print's own pitch, and keeps the better reading.
	JoinDots bool `yaml:"join_dots"`
}

// PreprocessingSteps are the step names a chain accepts (the pipeline's operations; a test
// there keeps the two lists equal).
var PreprocessingSteps = []string{"gray_world", "gray", "clahe", "sharpen", "median", "denoise",
	"threshold", "adaptive", "invert", "negative", "flip", "dots", "joindots", "deskew", "pad", "upscale", "expand"}

func (s SecondLookConfig) validate(v *validator) {
	v.open01("second_look.min_confidence", s.MinConfidence)
	v.intRange("second_look.beam_width", int64(s.BeamWidth), 0, 256)
	if !(s.MinBeamProb >= 0 && s.MinBeamProb < 1) {
		v.add("second_look.min_beam_prob", "%v is out of range [0, 1)", s.MinBeamProb)
	}
	v.intRange("second_look.tile_grid", int64(s.TileGrid), 0, 4)
	if !(s.TileOverlap >= 0 && s.TileOverlap <= 0.5) {
		v.add("second_look.tile_overlap", "%v is out of range [0, 0.5]", s.TileOverlap)
	}
}

func (p PreprocessingConfig) validate(v *validator) {
	chain := func(key, c string) {
		c = strings.TrimSpace(c)
		if c == "" || c == "none" {
			return
		}
		for _, step := range strings.Split(c, "+") {
			if !slices.Contains(PreprocessingSteps, strings.TrimSpace(step)) {
				v.add(key, "unknown step %q in %q (known: %s)", step, c, strings.Join(PreprocessingSteps, ", "))
			}
		}
	}
	chain("preprocessing.profile", p.Profile)
	if len(p.RetryVariants) > 8 {
		v.add("preprocessing.retry_variants", "%d variants; at most 8", len(p.RetryVariants))
	}
	for _, c := range p.RetryVariants {
		chain("preprocessing.retry_variants", c)
	}
	v.intRange("preprocessing.max_retry_regions", int64(p.MaxRetryRegions), 0, 64)
}
