package config

import (
	"flag"
	"fmt"
	"os"
	"reflect"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

var update = flag.Bool("update", false, "rewrite the generated table in docs/config.md")

const (
	docsPath   = "../../docs/config.md"
	tableBegin = "<!-- BEGIN GENERATED PRESET TABLE (go test ./internal/config -run TestDocs -update) -->\n"
	tableEnd   = "<!-- END GENERATED PRESET TABLE -->\n"
)

// TestDocs keeps docs/config.md honest: every key and environment variable is
// described, and the table of defaults and preset values is the real one.
func TestDocs(t *testing.T) {
	data, err := os.ReadFile(docsPath)
	if err != nil {
		t.Fatal(err)
	}
	doc := string(data)
	begin, end := strings.Index(doc, tableBegin), strings.Index(doc, tableEnd)
	if begin < 0 || end < begin {
		t.Fatalf("%s lacks the generated table markers", docsPath)
	}
	table := presetTable(t)
	if *update {
		doc = doc[:begin+len(tableBegin)] + table + doc[end:]
		if err := os.WriteFile(docsPath, []byte(doc), 0o644); err != nil {
			t.Fatal(err)
		}
	} else if doc[begin+len(tableBegin):end] != table {
		t.Errorf("the preset table in %s is stale: run go test ./internal/config -run TestDocs -update", docsPath)
	}
	described := doc[:begin] + doc[end:]
	for _, l := range leaves() {
		if !strings.Contains(described, "`"+l.Key()+"`") {
			t.Errorf("%s does not describe `%s`", docsPath, l.Key())
		}
	}
	for _, name := range PresetNames() {
		if !strings.Contains(described, "`"+name+"`") {
			t.Errorf("%s does not describe preset `%s`", docsPath, name)
		}
	}
}

// presetTable renders every key's built-in default and each preset's value
// where it differs from the default.
func presetTable(t *testing.T) string {
	names := PresetNames()
	configs := []Config{defaults()}
	for _, n := range names {
		configs = append(configs, mustPreset(t, n))
	}
	var b strings.Builder
	b.WriteString("| key | built-in default | `" + strings.Join(names, "` | `") + "` |\n")
	b.WriteString("|---|---" + strings.Repeat("|---", len(names)) + "|\n")
	for _, l := range leaves() {
		if l.Key() == "preset" {
			continue
		}
		vals := make([]string, len(configs))
		for i, c := range configs {
			v := reflect.ValueOf(c).FieldByIndex(l.index)
			if i > 0 && reflect.DeepEqual(v.Interface(), reflect.ValueOf(configs[0]).FieldByIndex(l.index).Interface()) {
				continue // same as the default: leave blank
			}
			vals[i] = "`" + docValue(v) + "`"
		}
		fmt.Fprintf(&b, "| `%s` | %s |\n", l.Key(), strings.Join(vals, " | "))
	}
	return b.String()
}

func docValue(v reflect.Value) string {
	n := encodeLeaf(v)
	if n.Kind == yaml.SequenceNode {
		var items []string
		for _, c := range n.Content {
			items = append(items, c.Value)
		}
		return "[" + strings.Join(items, ", ") + "]"
	}
	if n.Tag == "!!str" && n.Value == "" {
		return `""`
	}
	return n.Value
}
