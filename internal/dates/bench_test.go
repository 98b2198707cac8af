package dates

import "testing"

// benchLines is a typical photo: a few labels, a date pair, a lot code and a clock time.
var benchLines = []Line{
	{Text: "Batch No.: EVH142", Confidence: 0.93},
	{Text: "Mfg. Date: 17.06.24", Confidence: 0.91},
	{Text: "Exp. Date: 17.06.26", Confidence: 0.95},
	{Text: "VAL: 01.03.2026 / L:A 5245 22:06", Confidence: 0.88},
	{Text: "1616516704024232", Confidence: 0.8},
}

func BenchmarkFind(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		Find(benchLines, Options{})
	}
}

func BenchmarkParseTextNoDate(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		ParseText("Ingredientes: farinha de trigo enriquecida com ferro e acido folico, acucar")
	}
}
