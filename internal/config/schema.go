package config

import (
	"fmt"
	"reflect"
	"strings"
	"time"

	"github.com/datalid/datalid/internal/editdist"
)

// The schema is the Config struct itself: its yaml tags name the keys, and the
// decoder, the encoder and the environment overlay all walk it by reflection, so
// a field added to a section is at once readable from files, settable from the
// environment, printed by YAML and documented by the docs test.

var durationType = reflect.TypeFor[time.Duration]()

// kind is how a leaf field is written in YAML and in the environment.
type kind int

const (
	kindString kind = iota
	kindBool
	kindInt
	kindFloat
	kindDuration
	kindStrings
)

func kindOf(t reflect.Type) kind {
	switch {
	case t == durationType:
		return kindDuration
	case t.Kind() == reflect.String:
		return kindString
	case t.Kind() == reflect.Bool:
		return kindBool
	case t.Kind() == reflect.Int, t.Kind() == reflect.Int64:
		return kindInt
	case t.Kind() == reflect.Float64:
		return kindFloat
	case t.Kind() == reflect.Slice && t.Elem().Kind() == reflect.String:
		return kindStrings
	}
	panic(fmt.Sprintf("config: unsupported field type %s", t))
}

// want describes what a kind of field accepts, for error messages.
func (k kind) want() string {
	switch k {
	case kindBool:
		return "true or false"
	case kindInt:
		return "an integer"
	case kindFloat:
		return "a number"
	case kindDuration:
		return `a duration with a unit, like "30s" or "50ms"`
	case kindStrings:
		return "a list of strings"
	}
	return "a string"
}

// namedField is a struct field with its YAML key.
type namedField struct {
	name  string
	index int
	typ   reflect.Type
}

// fieldsOf lists the keys of a section struct in declaration order.
func fieldsOf(t reflect.Type) []namedField {
	out := make([]namedField, 0, t.NumField())
	for i := range t.NumField() {
		sf := t.Field(i)
		name, _, _ := strings.Cut(sf.Tag.Get("yaml"), ",")
		if name == "-" || !sf.IsExported() {
			continue
		}
		if name == "" {
			panic(fmt.Sprintf("config: field %s.%s has no yaml tag", t.Name(), sf.Name))
		}
		out = append(out, namedField{name: name, index: i, typ: sf.Type})
	}
	return out
}

func fieldNamed(t reflect.Type, name string) (namedField, bool) {
	for _, f := range fieldsOf(t) {
		if f.name == name {
			return f, true
		}
	}
	return namedField{}, false
}

func fieldNames(t reflect.Type) []string {
	fs := fieldsOf(t)
	names := make([]string, len(fs))
	for i, f := range fs {
		names[i] = f.name
	}
	return names
}

// leaf is one settable key of the configuration, like detection.limit_side_len.
type leaf struct {
	path  []string // YAML keys from the top
	index []int    // reflect field index from Config
	typ   reflect.Type
}

// Key is the dotted YAML path, e.g. "detection.limit_side_len".
func (l leaf) Key() string { return strings.Join(l.path, ".") }

// Env is the environment variable overriding the key, e.g. DATALID_DETECTION_LIMIT_SIDE_LEN.
func (l leaf) Env() string { return "DATALID_" + strings.ToUpper(strings.Join(l.path, "_")) }

// leaves lists every settable key of Config in declaration order.
func leaves() []leaf {
	var out []leaf
	var walk func(t reflect.Type, path []string, index []int)
	walk = func(t reflect.Type, path []string, index []int) {
		for _, f := range fieldsOf(t) {
			p := append(append([]string(nil), path...), f.name)
			ix := append(append([]int(nil), index...), f.index)
			if f.typ.Kind() == reflect.Struct {
				walk(f.typ, p, ix)
				continue
			}
			kindOf(f.typ) // panics on an unsupported type
			out = append(out, leaf{path: p, index: ix, typ: f.typ})
		}
	}
	walk(reflect.TypeFor[Config](), nil, nil)
	return out
}

// Keys lists every configuration key as a dotted path ("detection.limit_side_len"),
// in schema order.
func Keys() []string {
	ls := leaves()
	out := make([]string, len(ls))
	for i, l := range ls {
		out[i] = l.Key()
	}
	return out
}

// EnvNames lists the environment variable overriding each key, in schema order,
// without DATALID_PRESET and DATALID_CONFIG (which [ApplyEnv] ignores).
func EnvNames() []string {
	var out []string
	for _, l := range leaves() {
		if n := l.Env(); n != EnvPreset && n != EnvConfig {
			out = append(out, n)
		}
	}
	return out
}

// suggest returns a "did you mean" hint, or the list of valid names.
func suggest(got string, valid []string) string {
	lower := strings.ToLower(got)
	var prefixed []string // valid names that start with what was written
	best, bestD := "", 1<<30
	for _, v := range valid {
		if len(got) >= 4 && strings.HasPrefix(strings.ToLower(v), lower) {
			prefixed = append(prefixed, v)
		}
		if d := editdist.Distance(lower, strings.ToLower(v), nil); d < bestD {
			best, bestD = v, d
		}
	}
	switch {
	case len(prefixed) == 1:
		return fmt.Sprintf("did you mean %q?", prefixed[0])
	case best != "" && bestD <= 2:
		return fmt.Sprintf("did you mean %q?", best)
	}
	return "known: " + strings.Join(valid, ", ")
}
