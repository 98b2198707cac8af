package report

import (
	"bytes"
	"encoding/base64"
	"image"
	"image/color"
	"image/draw"
	"image/jpeg"
	"math"

	"github.com/datalid/datalid/api"
	"github.com/datalid/datalid/internal/pipeline"
)

// Images are the optional picture fields of a response (Datalid's return_visualization,
// return_crops and return_crop_images). Every picture is a JPEG data URI; Datalid sent some
// raw and some prefixed, and its own front end had to guess.
type Images struct {
	Visualization bool // the photo with each detection outlined
	Crops         bool // crops_base64: each detection's bounding-box crop
	CropImages    bool // ocr_results[].crop_original_base64 / crop_processed_base64
}

// Any reports whether any picture was asked for (the caller then keeps crops and the photo).
func (o Images) Any() bool { return o.Visualization || o.Crops || o.CropImages }

// AddImages fills the picture fields of r. photo is the upright decoded photo (possibly
// scaled down from the original; regions are mapped to it), res the result r came from,
// read with pipeline.Options{KeepCrops: true} for the processed crops.
func AddImages(r *api.ProcessImageResponse, photo *image.RGBA, origW int, res *pipeline.Result, o Images) error {
	if photo == nil || origW <= 0 {
		return nil
	}
	s := float64(photo.Rect.Dx()) / float64(origW)
	if o.Visualization {
		uri, err := dataURI(visualize(photo, res, s), 85)
		if err != nil {
			return err
		}
		r.VisualizationBase64 = &uri
	}
	if o.Crops {
		r.CropsBase64 = make([]string, 0, len(res.Regions))
	}
	order, _ := Order(res) // the response's order (Response)
	for i, ri := range order {
		reg := res.Regions[ri]
		x0, y0, x1, y1 := reg.Quad.Bounds()
		rect := image.Rect(int(x0*s), int(y0*s), int(math.Ceil(x1*s)), int(math.Ceil(y1*s))).Intersect(photo.Rect)
		if o.Crops || o.CropImages {
			uri, err := dataURI(photo.SubImage(rect), 90)
			if err != nil {
				return err
			}
			if o.Crops {
				r.CropsBase64 = append(r.CropsBase64, uri)
			}
			if o.CropImages && i < len(r.OCRResults) {
				r.OCRResults[i].CropOriginalBase64 = &uri
			}
		}
		if o.CropImages && reg.Crop != nil && i < len(r.OCRResults) {
			uri, err := dataURI(reg.Crop, 90)
			if err != nil {
				return err
			}
			r.OCRResults[i].CropProcessedBase64 = &uri
		}
	}
	return nil
}

func dataURI(img image.Image, quality int) (string, error) {
	if img.Bounds().Empty() {
		return "", nil
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: quality}); err != nil {
		return "", err
	}
	return "data:image/jpeg;base64," + base64.StdEncoding.EncodeToString(buf.Bytes()), nil
}

// Colours as in Datalid's front end: green above 0.7, yellow above 0.5, red otherwise.
var (
	green  = color.RGBA{0x22, 0xc5, 0x5e, 0xff}
	yellow = color.RGBA{0xea, 0xb3, 0x08, 0xff}
	red    = color.RGBA{0xef, 0x44, 0x44, 0xff}
)

func scoreColour(v float64) color.RGBA {
	switch {
	case v > 0.7:
		return green
	case v > 0.5:
		return yellow
	}
	return red
}

// visualize copies photo and outlines each region's quadrilateral.
func visualize(photo *image.RGBA, res *pipeline.Result, s float64) *image.RGBA {
	out := image.NewRGBA(photo.Rect)
	draw.Draw(out, out.Rect, photo, photo.Rect.Min, draw.Src)
	thick := max(2, photo.Rect.Dx()/400)
	for _, reg := range res.Regions {
		c := scoreColour(reg.Score)
		for k := range 4 {
			a, b := reg.Quad[k], reg.Quad[(k+1)%4]
			line(out, a.X*s, a.Y*s, b.X*s, b.Y*s, thick, c)
		}
	}
	return out
}

// line draws a segment as a run of filled squares: simple, and fast enough for a few boxes.
func line(img *image.RGBA, x0, y0, x1, y1 float64, thick int, c color.RGBA) {
	n := int(math.Max(math.Abs(x1-x0), math.Abs(y1-y0))) + 1
	h := thick / 2
	for i := 0; i <= n; i++ {
		t := float64(i) / float64(n)
		x, y := int(x0+(x1-x0)*t), int(y0+(y1-y0)*t)
		draw.Draw(img, image.Rect(x-h, y-h, x-h+thick, y-h+thick).Intersect(img.Rect), &image.Uniform{c}, image.Point{}, draw.Src)
	}
}
