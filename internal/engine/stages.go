package engine

import "time"

// Stage names of a read's time, in pipeline order: the one list that the server's metrics,
// the benchmark reports and anything else naming a stage use. Datalid's response fields
// (report) keep Datalid's own names.
const (
	StageDecode     = "decode"
	StageDetectPre  = "detect_pre"
	StageDetectRun  = "detect_run"
	StageDetectPost = "detect_post"
	StageCrop       = "crop"
	StageClassify   = "classify"
	StageRecognize  = "recognize"
	StageSecondLook = "second_look" // re-reading doubtful lines, tiles, zoom (Timings.SecondLook)
	StageDates      = "dates"
)

// Stage is one named part of a read's time.
type Stage struct {
	Name string
	Time time.Duration
}

// Stages lists t's stages in pipeline order. Total is not among them: it is their sum and
// the gaps between them.
func Stages(t Timings) []Stage {
	return []Stage{
		{StageDecode, t.Decode}, {StageDetectPre, t.DetectPre}, {StageDetectRun, t.DetectRun},
		{StageDetectPost, t.DetectPost}, {StageCrop, t.Crop}, {StageClassify, t.Classify},
		{StageRecognize, t.Recognize}, {StageSecondLook, t.SecondLook}, {StageDates, t.Dates},
	}
}
