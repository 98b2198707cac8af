package report

import (
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"os"
	"path/filepath"
	"strings"

	"golang.org/x/image/font"
	"golang.org/x/image/font/basicfont"
	"golang.org/x/image/math/fixed"

	"github.com/datalid/datalid/internal/pipeline"
)

// lookColours tells the looks apart on the boxes picture: the first pass in green, each
// second look (pipeline.StepNames), the level look, the answer's checks and the whole turned
// read in a colour of its own; regions a look discarded in white.
var lookColours = map[string]color.RGBA{
	"first":    {0x22, 0xc5, 0x5e, 0xff},
	"beam":     {0x3b, 0x82, 0xf6, 0xff},
	"split":    {0xa8, 0x55, 0xf7, 0xff},
	"level":    {0x64, 0x74, 0x8b, 0xff},
	"sideways": {0x84, 0xcc, 0x16, 0xff},
	"retry":    {0xf9, 0x73, 0x16, 0xff},
	"lattice":  {0x8b, 0x5c, 0x2a, 0xff},
	"rows":     {0x0f, 0x76, 0x6e, 0xff},
	"zoom":     {0xec, 0x48, 0x99, 0xff},
	"dots":     {0xef, 0x44, 0x44, 0xff},
	"dense":    {0x06, 0xb6, 0xd4, 0xff},
	"tiles":    {0xea, 0xb3, 0x08, 0xff},
	"faint":    {0x78, 0x71, 0x6c, 0xff},
	"rejoin":   {0x7c, 0x3a, 0xed, 0xff},
	"orient":   {0x65, 0xa3, 0x0d, 0xff},
	"stretch":  {0x11, 0x11, 0x11, 0xff},
	"confirm":  {0xf4, 0x3f, 0x5e, 0xff},
	"turned":   {0x1e, 0x3a, 0x8a, 0xff},
}

// lookColour is the colour of the look named name.
func lookColour(name string) color.RGBA {
	if c, ok := lookColours[name]; ok {
		return c
	}
	return color.RGBA{0xff, 0xff, 0xff, 0xff}
}

// WriteDebug writes, into dir, the pictures of one debug read (pipeline.Options.Debug) that
// let a person see why it read what it read:
//   - prob.png: the first pass's text probability map (white is text);
//   - boxes.png: the working image with the boxes of each look, coloured by look and
//     numbered as in crops.tsv;
//   - crops/NNN-LOOK.png: each crop a look read, with its text and confidence below it, and
//     crops/NNN-LOOK.bare.png the crop alone, as cut and turned upright, to read again by
//     hand (the caption would be read with it);
//   - crops.tsv: number, look, source, confidence, detector score, text;
//   - looks.tsv: each look in the order it ran, the milliseconds it took and the count of
//     regions it added or read again, to see where a slow read spent its time;
//   - input-NN-LOOK.png: each picture a second look gave the detector.
func WriteDebug(dir string, res *pipeline.Result) error {
	tr := res.Trace
	if tr == nil || tr.Work == nil {
		return fmt.Errorf("report: the result holds no debug trace (read with Options.Debug)")
	}
	if err := os.MkdirAll(filepath.Join(dir, "crops"), 0o755); err != nil {
		return err
	}
	if err := writePNG(filepath.Join(dir, "prob.png"), probImage(tr)); err != nil {
		return err
	}
	boxes := image.NewRGBA(tr.Work.Rect)
	draw.Draw(boxes, boxes.Rect, tr.Work, tr.Work.Rect.Min, draw.Src)
	thick := max(2, boxes.Rect.Dx()/500)
	var tsv strings.Builder
	tsv.WriteString("n\tlook\tsource\tconfidence\tscore\ttext\n")
	n := 0
	for _, lt := range tr.Looks {
		c := lookColour(lt.Name)
		for _, r := range lt.Regions {
			n++
			q := r.Quad.Scale(tr.Scale, tr.Scale)
			for k := range 4 {
				line(boxes, q[k].X, q[k].Y, q[(k+1)%4].X, q[(k+1)%4].Y, thick, c)
			}
			label(boxes, int(q[0].X), int(q[0].Y)-2, fmt.Sprint(n), c)
			text := strings.ReplaceAll(r.Text.Text, "\n", " / ")
			fmt.Fprintf(&tsv, "%d\t%s\t%s\t%.3f\t%.3f\t%s\n", n, lt.Name, r.Source, r.Text.Confidence, r.Score, text)
			if r.Crop == nil {
				continue
			}
			name := filepath.Join(dir, "crops", fmt.Sprintf("%03d-%s", n, lt.Name))
			if err := writePNG(name+".png", captioned(r.Crop, fmt.Sprintf("%.2f %s", r.Text.Confidence, text))); err != nil {
				return err
			}
			if err := writePNG(name+".bare.png", r.Crop); err != nil {
				return err
			}
		}
	}
	for k, in := range tr.Inputs {
		if err := writePNG(filepath.Join(dir, fmt.Sprintf("input-%02d-%s.png", k+1, in.Look)), in.Img); err != nil {
			return err
		}
	}
	if err := writePNG(filepath.Join(dir, "boxes.png"), boxes); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(dir, "crops.tsv"), []byte(tsv.String()), 0o644); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, "looks.tsv"), []byte(looksTSV(tr)), 0o644)
}

// looksTSV lists the looks of a read with their times (a discarded look's regions are
// counted on a line of its own, with no time).
func looksTSV(tr *pipeline.Trace) string {
	var b strings.Builder
	b.WriteString("look\tms\tregions\n")
	for _, lt := range tr.Looks {
		fmt.Fprintf(&b, "%s\t%.1f\t%d\n", lt.Name, float64(lt.Took.Microseconds())/1000, len(lt.Regions))
	}
	return b.String()
}

// probImage draws the probability map as grey levels at the map's own size.
func probImage(tr *pipeline.Trace) *image.Gray {
	m := tr.Prob
	g := image.NewGray(image.Rect(0, 0, m.W, m.H))
	for i, p := range m.Prob {
		g.Pix[i] = uint8(max(0, min(255, p*255+0.5)))
	}
	return g
}

// captioned puts caption (ASCII; other characters drawn as '?') in a strip below img.
func captioned(img *image.RGBA, caption string) *image.RGBA {
	const strip = 16
	face := basicfont.Face7x13
	w := max(img.Rect.Dx(), 7*len([]rune(caption))+4)
	out := image.NewRGBA(image.Rect(0, 0, w, img.Rect.Dy()+strip))
	draw.Draw(out, out.Rect, image.White, image.Point{}, draw.Src)
	draw.Draw(out, image.Rect(0, 0, img.Rect.Dx(), img.Rect.Dy()), img, img.Rect.Min, draw.Src)
	d := font.Drawer{Dst: out, Src: image.Black, Face: face, Dot: fixed.P(2, img.Rect.Dy()+strip-3)}
	d.DrawString(ascii(caption))
	return out
}

// label writes s at (x, y) (baseline) in colour c on a dark backing, so it reads on any photo.
func label(img *image.RGBA, x, y int, s string, c color.RGBA) {
	face := basicfont.Face7x13
	y = max(y, 12)
	draw.Draw(img, image.Rect(x, y-11, x+7*len(s)+2, y+2).Intersect(img.Rect), image.Black, image.Point{}, draw.Src)
	d := font.Drawer{Dst: img, Src: &image.Uniform{c}, Face: face, Dot: fixed.P(x+1, y)}
	d.DrawString(s)
}

func ascii(s string) string {
	return strings.Map(func(r rune) rune {
		if r < 32 || r > 126 {
			return '?'
		}
		return r
	}, s)
}

func writePNG(path string, img image.Image) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := png.Encode(f, img); err != nil {
		f.Close()
		return fmt.Errorf("report: writing %s: %w", path, err)
	}
	return f.Close()
}
