package config

import (
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"strings"
)

// EnvPrefix starts the name of every environment variable this package reads.
const EnvPrefix = "DATALID_"

// ApplyEnv overrides c from environ ("NAME=value" entries, as os.Environ returns).
// Every key has a variable DATALID_<SECTION>_<KEY> in upper case, for example
// DATALID_DETECTION_LIMIT_SIDE_LEN=1280, DATALID_PIPELINE_TIMEOUT=45s,
// DATALID_CLASSIFIER_ENABLED=false, DATALID_SERVER_API_KEYS=a,b (a comma-separated
// list; empty for no entries). Variables without the DATALID_ prefix are ignored,
// and so are DATALID_PRESET and DATALID_CONFIG, which the callers of Load read.
// A DATALID_ variable that names no key, or whose value does not parse, is an
// error naming the variable; c is changed only when there is no error.
func ApplyEnv(c *Config, environ []string) error {
	byName := map[string]leaf{}
	names := EnvNames()
	for _, l := range leaves() {
		byName[l.Env()] = l
	}
	out := *c
	root := reflect.ValueOf(&out).Elem()
	var errs []error
	for _, kv := range environ {
		name, value, _ := strings.Cut(kv, "=")
		if !strings.HasPrefix(name, EnvPrefix) || name == EnvPreset || name == EnvConfig {
			continue
		}
		l, ok := byName[name]
		if !ok {
			errs = append(errs, fmt.Errorf("environment variable %s names no configuration key (%s)", name, suggestEnv(name, names)))
			continue
		}
		if err := setFromString(root.FieldByIndex(l.index), value); err != nil {
			errs = append(errs, fmt.Errorf("environment variable %s=%q: %w", name, value, err))
		}
	}
	if err := errors.Join(errs...); err != nil {
		return err
	}
	*c = out
	return nil
}

// suggestEnv hints at the variable meant: a close name, else the variables of
// the section named, else the sections.
func suggestEnv(name string, names []string) string {
	if hint := suggest(name, names); strings.HasPrefix(hint, "did you mean") {
		return hint
	}
	var inSection, sections []string
	for _, n := range names {
		section, _, _ := strings.Cut(strings.TrimPrefix(n, EnvPrefix), "_")
		if strings.HasPrefix(name, EnvPrefix+section+"_") {
			inSection = append(inSection, n)
		}
		if s := EnvPrefix + section + "_"; !slices.Contains(sections, s) {
			sections = append(sections, s)
		}
	}
	if len(inSection) > 0 {
		return "known: " + strings.Join(inSection, ", ")
	}
	return "sections: " + strings.Join(sections, ", ") + "; see docs/config.md"
}

// setFromString sets a leaf field from its environment text.
func setFromString(v reflect.Value, s string) error {
	k := kindOf(v.Type())
	bad := fmt.Errorf("want %s", k.want())
	switch k {
	case kindString:
		v.SetString(s)
	case kindBool:
		b, err := strconv.ParseBool(strings.TrimSpace(s))
		if err != nil {
			return bad
		}
		v.SetBool(b)
	case kindInt:
		i, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64)
		if err != nil || v.OverflowInt(i) {
			return bad
		}
		v.SetInt(i)
	case kindFloat:
		f, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
		if err != nil {
			return bad
		}
		v.SetFloat(f)
	case kindDuration:
		d, err := parseDuration(strings.TrimSpace(s))
		if err != nil {
			return bad
		}
		v.SetInt(int64(d))
	case kindStrings:
		var list []string
		for item := range strings.SplitSeq(s, ",") {
			if item = strings.TrimSpace(item); item != "" {
				list = append(list, item)
			}
		}
		v.Set(reflect.ValueOf(list).Convert(v.Type()))
	}
	return nil
}
