package server

import (
	"reflect"
	"strings"
	"testing"

	"github.com/datalid/datalid/api"
)

// TestSpecListsEveryField: each JSON field of the /process wire types is a property of its
// schema in openapi.json, so a field added to package api cannot be missing from the spec
// (dates[].alternative was).
func TestSpecListsEveryField(t *testing.T) {
	spec := loadSpec(t)
	for name, v := range map[string]any{
		"BBox": api.BBox{}, "Detection": api.Detection{}, "OCRResult": api.OCRResult{}, "DateInfo": api.DateInfo{},
		"Metrics": api.Metrics{}, "ProcessImageResponse": api.ProcessImageResponse{},
		"BatchImageResult": api.BatchImageResult{}, "BatchProcessResponse": api.BatchProcessResponse{},
	} {
		schema, _ := spec.schemas[name].(map[string]any)
		props, _ := schema["properties"].(map[string]any)
		if props == nil {
			t.Errorf("openapi.json has no properties for %s", name)
			continue
		}
		ty := reflect.TypeOf(v)
		for i := range ty.NumField() {
			tag, _, _ := strings.Cut(ty.Field(i).Tag.Get("json"), ",")
			if tag == "" || tag == "-" {
				continue
			}
			if _, ok := props[tag]; !ok {
				t.Errorf("openapi.json: %s lacks %q (api.%s.%s)", name, tag, name, ty.Field(i).Name)
			}
		}
	}
}
