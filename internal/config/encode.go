package config

import (
	"bytes"
	"reflect"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"
)

// YAML writes the whole configuration, every key, in schema order; durations are
// written as "30s", lists in flow style. Parse reads the output back to an equal
// Config (for `datalid config show`).
func (c Config) YAML() ([]byte, error) {
	root := encodeSection(reflect.ValueOf(c))
	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(root); err != nil {
		return nil, err
	}
	if err := enc.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

func encodeSection(v reflect.Value) *yaml.Node {
	n := &yaml.Node{Kind: yaml.MappingNode}
	for _, f := range fieldsOf(v.Type()) {
		key := &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: f.name}
		var val *yaml.Node
		if f.typ.Kind() == reflect.Struct {
			val = encodeSection(v.Field(f.index))
		} else {
			val = encodeLeaf(v.Field(f.index))
		}
		n.Content = append(n.Content, key, val)
	}
	return n
}

func encodeLeaf(v reflect.Value) *yaml.Node {
	scalar := func(tag, value string) *yaml.Node {
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: tag, Value: value}
	}
	switch kindOf(v.Type()) {
	case kindBool:
		return scalar("!!bool", strconv.FormatBool(v.Bool()))
	case kindInt:
		return scalar("!!int", strconv.FormatInt(v.Int(), 10))
	case kindFloat:
		return scalar("!!float", formatFloat(v.Float()))
	case kindDuration:
		return scalar("!!str", formatDuration(time.Duration(v.Int())))
	case kindStrings:
		seq := &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq", Style: yaml.FlowStyle}
		for i := range v.Len() {
			seq.Content = append(seq.Content, encodeString(v.Index(i).String()))
		}
		return seq
	}
	return encodeString(v.String())
}

// encodeString writes a string so that it reads back unchanged: plain when YAML
// would read it as a string anyway, double-quoted otherwise.
func encodeString(s string) *yaml.Node {
	n := &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: s}
	if s == "" || needsQuotes(s) {
		n.Style = yaml.DoubleQuotedStyle
	}
	return n
}

// needsQuotes reports characters that plain or single-quoted YAML cannot carry
// faithfully (control characters, leading or trailing space, line breaks).
func needsQuotes(s string) bool {
	if strings.TrimSpace(s) != s {
		return true
	}
	for _, r := range s {
		if r < 0x20 || r == 0x7f || r == '\u0085' || r == '\u2028' || r == '\u2029' || r == '\ufeff' {
			return true
		}
	}
	return false
}

// formatDuration is time.Duration.String without zero tails: "1h", "1m30s", "50ms".
func formatDuration(d time.Duration) string {
	s := d.String()
	if strings.HasSuffix(s, "m0s") {
		s = strings.TrimSuffix(s, "0s")
	}
	if strings.HasSuffix(s, "h0m") {
		s = strings.TrimSuffix(s, "0m")
	}
	return s
}
