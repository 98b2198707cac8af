package main

import (
	"bytes"
	"encoding/json"
	"image"
	"image/jpeg"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/datalid/datalid/internal/imageio"
)

// eval --turn reads every photo turned: the same labels, read from photos taken another way
// up or askew. A whole turn or more is refused before any model loads.
func TestEvalTurnedPhotos(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the real models")
	}
	dir := t.TempDir()
	if _, err := run(t, "", "synth", "--out", dir, "-n", "3", "--seed", "5", "--layouts", "classic"); err != nil {
		t.Fatal(err)
	}
	var s [2]struct {
		Total   int `json:"total"`
		Correct int `json:"correct"`
		Items   []struct {
			Outcome   string `json:"outcome"`
			Predicted string `json:"predicted"`
		} `json:"items"`
		Compared *struct {
			EarlierCorrect int `json:"earlier_correct"`
			Correct        int `json:"correct"`
			Changes        []struct {
				File string `json:"file"`
			} `json:"changes"`
		} `json:"compared"`
	}
	// The turned run is compared with the upright one: the changes it lists are the photos
	// whose answers differ.
	upright := filepath.Join(t.TempDir(), "upright.json")
	for k, turn := range []string{"0", "180"} {
		args := []string{"eval", dir, "--format", "json", "--turn", turn}
		if k == 1 {
			args = append(args, "--compare", upright)
		}
		out, err := run(t, "", args...)
		if err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal([]byte(out), &s[k]); err != nil {
			t.Fatal(err)
		}
		if k == 0 {
			if err := os.WriteFile(upright, []byte(out), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		for _, it := range s[k].Items {
			if it.Outcome == "error" {
				t.Errorf("turn %s: a photo failed: %s", turn, out)
			}
		}
	}
	t.Logf("upright %d of %d, turned %d of %d", s[0].Correct, s[0].Total, s[1].Correct, s[1].Total)
	if s[1].Total != 3 || s[1].Correct == 0 {
		t.Errorf("turned: %+v", s[1])
	}
	differ := 0
	for i := range s[1].Items {
		if s[0].Items[i] != s[1].Items[i] {
			differ++
		}
	}
	if c := s[1].Compared; c == nil || c.EarlierCorrect != s[0].Correct || c.Correct != s[1].Correct || len(c.Changes) != differ {
		t.Errorf("compared: %+v, want %d → %d right and %d changes", c, s[0].Correct, s[1].Correct, differ)
	}
	if _, err := run(t, "", "eval", dir, "--compare", filepath.Join(dir, "labels.csv")); err == nil || !strings.Contains(err.Error(), "--compare") {
		t.Errorf("--compare with a CSV: %v", err)
	}
	if _, err := run(t, "", "eval", dir, "--turn", "360"); err == nil || !strings.Contains(err.Error(), "--turn 360") {
		t.Errorf("--turn 360: %v", err)
	}

	// Askew: each photo is read on a canvas grown to hold it, and --save keeps what was read.
	saved := filepath.Join(t.TempDir(), "askew")
	if _, err := run(t, "", "eval", dir, "--turn", "-12", "--save", saved); err != nil {
		t.Fatal(err)
	}
	files, _ := filepath.Glob(filepath.Join(saved, "*.jpg"))
	if len(files) != 3 {
		t.Fatalf("saved %v, want the 3 photos", files)
	}
	orig, err := imageio.DecodeFile(filepath.Join(dir, filepath.Base(files[0])), imageio.Options{})
	if err != nil {
		t.Fatal(err)
	}
	turned, err := imageio.DecodeFile(files[0], imageio.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if turned.OrigW <= orig.OrigW || turned.OrigH <= orig.OrigH {
		t.Errorf("turned 12°: %dx%d from %dx%d, want a grown canvas", turned.OrigW, turned.OrigH, orig.OrigW, orig.OrigH)
	}
}

// A changed photo keeps the day it was taken, which its reading may need, and none of the
// orientation that was applied to turn it; a shrunk one keeps its shape.
func TestReshootKeepsTheDayTaken(t *testing.T) {
	m := image.NewRGBA(image.Rect(0, 0, 64, 32))
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, m, nil); err != nil {
		t.Fatal(err)
	}
	when := time.Date(2024, 11, 30, 8, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		r    reshoot
		w, h int
	}{
		{reshoot{turn: 90, shrink: 1}, 32, 64},
		{reshoot{turn: 90, shrink: 0.5}, 16, 32},
		{reshoot{shrink: 0.25}, 16, 8},
	} {
		out, err := c.r.apply(imageio.WithTaken(buf.Bytes(), when), imageio.Limits{})
		if err != nil {
			t.Fatal(err)
		}
		img, err := imageio.Decode(out, imageio.Options{})
		if err != nil {
			t.Fatal(err)
		}
		if !img.Taken.Equal(when) || img.Orientation != 1 || img.OrigW != c.w || img.OrigH != c.h {
			t.Errorf("%+v: taken %v, orientation %d, %dx%d, want %dx%d", c.r, img.Taken, img.Orientation, img.OrigW, img.OrigH, c.w, c.h)
		}
	}
}

// A shrink that leaves no photo, or grows it, is refused before any model loads.
func TestShrinkRefused(t *testing.T) {
	for _, f := range []float64{0, -0.5, 1.5} {
		if err := (reshoot{shrink: f}).check(); err == nil || !strings.Contains(err.Error(), "--shrink") {
			t.Errorf("shrink %g: %v", f, err)
		}
	}
}
