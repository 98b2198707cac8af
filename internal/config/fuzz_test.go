package config

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

// FuzzParse checks that Parse never panics, and that a configuration it accepts
// and that validates survives YAML → Parse unchanged.
func FuzzParse(f *testing.F) {
	files, _ := filepath.Glob("testdata/*.yaml")
	presets, _ := filepath.Glob("presets/*.yaml")
	for _, name := range append(files, presets...) {
		data, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte("server: {api_keys: [\"\\x00\", '  a ']}\npipeline: {timeout: 1h1m}\n"))
	f.Add([]byte("a: &a [*a]\n"))
	base := Default()
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := Parse(data, base, "fuzz.yaml")
		if err != nil {
			if !reflect.DeepEqual(c, base) {
				t.Fatal("Parse changed the result on error")
			}
			return
		}
		if c.Validate() != nil {
			return
		}
		out, err := c.YAML()
		if err != nil {
			t.Fatalf("YAML: %v", err)
		}
		back, err := Parse(out, Config{}, "show.yaml")
		if err != nil {
			t.Fatalf("Parse(YAML()): %v\n%s", err, out)
		}
		if !reflect.DeepEqual(back, c) {
			t.Fatalf("round trip changed the configuration:\n%s", out)
		}
	})
}
