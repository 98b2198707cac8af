package config

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"
)

// ParseError is one problem found in a YAML file, at a line.
type ParseError struct {
	Source string // file name, or "config"
	Line   int    // 1-based; 0 when unknown
	Key    string // dotted path of the key, when known
	Msg    string
}

func (e *ParseError) Error() string {
	var b strings.Builder
	b.WriteString(e.Source)
	if e.Line > 0 {
		fmt.Fprintf(&b, ":%d", e.Line)
	}
	b.WriteString(": ")
	if e.Key != "" {
		b.WriteString(e.Key)
		b.WriteString(": ")
	}
	b.WriteString(e.Msg)
	return b.String()
}

// Parse overlays the YAML document data onto base and returns the result; base
// itself is not modified. Keys absent from data keep base's values; lists are
// replaced, not appended to. Parsing is strict: an unknown key, a value of the
// wrong type, a duration without a unit or a duplicate key is an error naming
// source, the line and the key; every such problem is reported, joined with
// errors.Join. Parse does not call Validate.
func Parse(data []byte, base Config, source string) (Config, error) {
	if source == "" {
		source = "config"
	}
	root, err := parseDocument(data, source)
	if err != nil {
		return base, err
	}
	return overlay(root, base, source)
}

// overlay decodes a parsed document (nil: empty) onto a copy of base.
func overlay(root *yaml.Node, base Config, source string) (Config, error) {
	if root == nil {
		return base, nil
	}
	d := decoder{source: source}
	out := base
	d.section(root, reflect.ValueOf(&out).Elem(), "")
	if err := errors.Join(d.errs...); err != nil {
		return base, err
	}
	return out, nil
}

// parseDocument parses data into the root node of its single document; nil for
// an empty document.
func parseDocument(data []byte, source string) (*yaml.Node, error) {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, nil
		}
		return nil, syntaxError(source, err)
	}
	var extra yaml.Node
	if err := dec.Decode(&extra); !errors.Is(err, io.EOF) {
		if err != nil {
			return nil, syntaxError(source, err)
		}
		return nil, &ParseError{Source: source, Line: extra.Line, Msg: "more than one YAML document"}
	}
	if doc.Kind != yaml.DocumentNode || len(doc.Content) == 0 {
		return nil, nil
	}
	root := doc.Content[0]
	if root.Kind == yaml.ScalarNode && root.ShortTag() == "!!null" {
		return nil, nil
	}
	return root, nil
}

var yamlLine = regexp.MustCompile(`^yaml: line (\d+): `)

// syntaxError turns "yaml: line 3: msg" into "source:3: msg".
func syntaxError(source string, err error) error {
	msg := err.Error()
	if m := yamlLine.FindStringSubmatch(msg); m != nil {
		line, _ := strconv.Atoi(m[1])
		return &ParseError{Source: source, Line: line, Msg: msg[len(m[0]):]}
	}
	return &ParseError{Source: source, Msg: strings.TrimPrefix(msg, "yaml: ")}
}

// presetKey returns the top-level `preset:` value of a document, if any.
func presetKey(root *yaml.Node, source string) (name string, line int, err error) {
	if root == nil || root.Kind != yaml.MappingNode {
		return "", 0, nil
	}
	for i := 0; i+1 < len(root.Content); i += 2 {
		k, v := resolve(root.Content[i]), resolve(root.Content[i+1])
		if k.Kind == yaml.ScalarNode && k.Value == "preset" {
			if v.Kind != yaml.ScalarNode || v.ShortTag() != "!!str" {
				return "", v.Line, &ParseError{Source: source, Line: v.Line, Key: "preset", Msg: "want a preset name"}
			}
			return v.Value, v.Line, nil
		}
	}
	return "", 0, nil
}

// resolve follows YAML aliases (*name) to the anchored node.
func resolve(n *yaml.Node) *yaml.Node {
	for n.Kind == yaml.AliasNode && n.Alias != nil {
		n = n.Alias
	}
	return n
}

type decoder struct {
	source string
	errs   []error
}

func (d *decoder) fail(n *yaml.Node, key, format string, args ...any) {
	d.errs = append(d.errs, &ParseError{Source: d.source, Line: n.Line, Key: key, Msg: fmt.Sprintf(format, args...)})
}

// section overlays a mapping node onto a struct value. path is the dotted path
// of the section ("" at the top).
func (d *decoder) section(n *yaml.Node, v reflect.Value, path string) {
	n = resolve(n)
	if n.Kind == yaml.ScalarNode && n.ShortTag() == "!!null" {
		return // "server:" with nothing under it
	}
	if n.Kind != yaml.MappingNode {
		where := path
		if where == "" {
			where = "the top level"
		}
		d.fail(n, "", "%s: want a mapping of keys, got %s", where, describe(n))
		return
	}
	seen := map[string]int{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		kn, vn := resolve(n.Content[i]), n.Content[i+1]
		if kn.Kind != yaml.ScalarNode || kn.ShortTag() == "!!null" {
			d.fail(kn, path, "want a key name, got %s", describe(kn))
			continue
		}
		key := kn.Value
		full := key
		if path != "" {
			full = path + "." + key
		}
		if first, dup := seen[key]; dup {
			d.fail(kn, full, "duplicate key (first set on line %d)", first)
			continue
		}
		seen[key] = kn.Line
		f, ok := fieldNamed(v.Type(), key)
		if !ok {
			where := "at the top level"
			if path != "" {
				where = fmt.Sprintf("in section %q", path)
			}
			d.fail(kn, "", "unknown key %q %s (%s)", key, where, suggest(key, fieldNames(v.Type())))
			continue
		}
		fv := v.Field(f.index)
		if f.typ.Kind() == reflect.Struct {
			d.section(vn, fv, full)
			continue
		}
		d.leaf(resolve(vn), fv, full)
	}
}

// leaf sets one scalar or list field from its node.
func (d *decoder) leaf(n *yaml.Node, v reflect.Value, key string) {
	k := kindOf(v.Type())
	if n.Kind == yaml.ScalarNode && n.ShortTag() == "!!null" {
		hint := ""
		switch k {
		case kindString:
			hint = `; write "" for an empty string`
		case kindStrings:
			hint = "; write [] for an empty list"
		}
		d.fail(n, key, "no value, want %s%s", k.want(), hint)
		return
	}
	if k == kindStrings {
		if n.Kind != yaml.SequenceNode {
			d.fail(n, key, "want a list of strings, like [a, b], got %s", describe(n))
			return
		}
		var list []string
		for _, item := range n.Content {
			item = resolve(item)
			if !isScalar(item) {
				d.fail(item, key, "want a string list item, got %s", describe(item))
				return
			}
			list = append(list, item.Value)
		}
		v.Set(reflect.ValueOf(list).Convert(v.Type()))
		return
	}
	if !isScalar(n) {
		d.fail(n, key, "want %s, got %s", k.want(), describe(n))
		return
	}
	tag := n.ShortTag()
	bad := func() { d.fail(n, key, "want %s, got %s", k.want(), describe(n)) }
	switch k {
	case kindString:
		v.SetString(n.Value)
	case kindBool:
		var b bool
		if tag != "!!bool" || n.Decode(&b) != nil {
			bad()
			return
		}
		v.SetBool(b)
	case kindInt:
		var i int64
		if tag != "!!int" || n.Decode(&i) != nil || v.OverflowInt(i) {
			bad()
			return
		}
		v.SetInt(i)
	case kindFloat:
		var f float64
		if (tag != "!!int" && tag != "!!float") || n.Decode(&f) != nil {
			bad()
			return
		}
		v.SetFloat(f)
	case kindDuration:
		dur, err := parseDuration(n.Value)
		if (tag != "!!str" && tag != "!!int") || err != nil {
			d.fail(n, key, "want %s, got %s", k.want(), describe(n))
			return
		}
		v.SetInt(int64(dur))
	}
}

// parseDuration accepts Go durations ("1h30m", "50ms") and a bare 0.
func parseDuration(s string) (time.Duration, error) {
	if s == "0" {
		return 0, nil
	}
	return time.ParseDuration(s)
}

// isScalar reports whether n is a plain scalar of a standard YAML type.
func isScalar(n *yaml.Node) bool {
	return n.Kind == yaml.ScalarNode && strings.HasPrefix(n.ShortTag(), "!!") && n.ShortTag() != "!!binary"
}

// describe names a node for an error message: `"abc"`, a list, a mapping.
func describe(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.ScalarNode:
		if n.ShortTag() == "!!null" {
			return "no value"
		}
		v := n.Value
		if len(v) > 40 {
			v = v[:40] + "…"
		}
		return strconv.Quote(v)
	}
	return "an unsupported node"
}

// formatFloat writes a float so that YAML reads it back as the same number.
func formatFloat(f float64) string {
	switch {
	case math.IsNaN(f):
		return ".nan"
	case math.IsInf(f, 1):
		return ".inf"
	case math.IsInf(f, -1):
		return "-.inf"
	}
	s := strconv.FormatFloat(f, 'g', -1, 64)
	if !strings.ContainsAny(s, ".e") {
		s += ".0" // 3 → 3.0, so YAML reads a float without an explicit tag
	}
	return s
}
