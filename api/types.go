// Package api holds datalid's public wire types: the JSON of the Datalid-compatible
// /process response (ProcessImageResponse and its parts), shared by the HTTP server, the CLI's
// JSON output and Go clients. It depends only on the standard library.
package api

// Status values of a ProcessImageResponse.
const (
	StatusSuccess = "success" // an expiry date was found
	StatusPartial = "partial" // text was found but no date
	StatusFailed  = "failed"  // no text region was found
)

// BBox is an axis-aligned box in original image pixels.
type BBox struct {
	X1     float64 `json:"x1"`
	Y1     float64 `json:"y1"`
	X2     float64 `json:"x2"`
	Y2     float64 `json:"y2"`
	Width  float64 `json:"width"`
	Height float64 `json:"height"`
}

// Detection is one text region. Segmentation holds the region's quadrilateral (clockwise
// from top-left); HasMask is true when it is present, so Datalid's front end draws the polygon.
type Detection struct {
	BBox         BBox     `json:"bbox"`
	Confidence   float64  `json:"confidence"`
	ClassID      int      `json:"class_id"`
	ClassName    string   `json:"class_name"`
	HasMask      bool     `json:"has_mask"`
	Segmentation [][2]int `json:"segmentation"`
}

// OCRResult is what was read in the detection at the same index.
type OCRResult struct {
	Text           string  `json:"text"`
	Confidence     float64 `json:"confidence"`
	Engine         string  `json:"engine"`
	ProcessingTime float64 `json:"processing_time"` // seconds
	// Source says which look read the text: empty for the first pass, else the second look
	// (beam, retry variant, zoom, dots, tile) that produced it.
	Source              string  `json:"source,omitempty"`
	CropOriginalBase64  *string `json:"crop_original_base64"`
	CropProcessedBase64 *string `json:"crop_processed_base64"`
}

// DateInfo is one date found in the text.
type DateInfo struct {
	Date            *string `json:"date"` // YYYY-MM-DD; month-precision dates hold the month's last day
	Confidence      float64 `json:"confidence"`
	Format          *string `json:"format"`
	IsValid         bool    `json:"is_valid"`
	IsExpired       *bool   `json:"is_expired"`
	DaysUntilExpiry *int    `json:"days_until_expiry"`
	Text            *string `json:"text"`
	Precision       string  `json:"precision"` // day | month
	Kind            string  `json:"kind"`      // expiry | manufacture | unknown
	Reason          string  `json:"reason,omitempty"`
	// Alternative is the other reading of an ambiguous numeric date (YYYY-MM-DD), if any.
	Alternative *string `json:"alternative,omitempty"`
}

// Metrics are the real per-stage wall times of one request, in seconds.
type Metrics struct {
	TotalTime          float64 `json:"total_time"`
	DecodeTime         float64 `json:"decode_time"`
	DetectionTime      float64 `json:"detection_time"`
	ClassificationTime float64 `json:"classification_time"`
	RecognitionTime    float64 `json:"recognition_time"` // first pass and second looks
	OCRTime            float64 `json:"ocr_time"`         // classification + recognition (Datalid's name)
	ParsingTime        float64 `json:"parsing_time"`
	// SecondLookTime is the part of recognition_time spent in second looks (re-reading
	// doubtful lines, tiles, zoom; tiles and zoom also run the detector on their crops).
	SecondLookTime float64 `json:"second_look_time"`
	NumDetections  int     `json:"num_detections"`
	NumDatesFound  int     `json:"num_dates_found"`
}

// ProcessImageResponse is the result of reading one photo (Datalid's /process shape).
type ProcessImageResponse struct {
	Status              string      `json:"status"`
	Message             string      `json:"message"`
	Detections          []Detection `json:"detections"`
	OCRResults          []OCRResult `json:"ocr_results"`
	Dates               []DateInfo  `json:"dates"`
	BestDate            *DateInfo   `json:"best_date"`
	Metrics             Metrics     `json:"metrics"`
	VisualizationBase64 *string     `json:"visualization_base64"`
	CropsBase64         []string    `json:"crops_base64"`
	ImageWidth          int         `json:"image_width"`
	ImageHeight         int         `json:"image_height"`
	ProcessedAt         string      `json:"processed_at"` // RFC 3339 with offset
	RequestID           *string     `json:"request_id"`
}
