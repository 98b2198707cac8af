package server

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
)

// specValidator checks a JSON document against a schema of openapi.json: types (including
// "null" in type lists), required fields, properties, items, $ref and oneOf. It is just
// enough to keep the hand-written spec and the real handlers from drifting apart.
type specValidator struct {
	schemas map[string]any
	paths   map[string]any
}

func loadSpec(t testing.TB) *specValidator {
	t.Helper()
	var spec struct {
		Paths      map[string]any `json:"paths"`
		Components struct {
			Schemas map[string]any `json:"schemas"`
		} `json:"components"`
	}
	if err := json.Unmarshal(openAPISpec, &spec); err != nil {
		t.Fatalf("openapi.json: %v", err)
	}
	return &specValidator{schemas: spec.Components.Schemas, paths: spec.Paths}
}

// response returns the JSON schema of path/method/status, or nil when not documented.
func (v *specValidator) response(path, method string, status int) map[string]any {
	p, _ := v.paths[path].(map[string]any)
	op, _ := p[strings.ToLower(method)].(map[string]any)
	rs, _ := op["responses"].(map[string]any)
	r, _ := rs[fmt.Sprint(status)].(map[string]any)
	c, _ := r["content"].(map[string]any)
	j, _ := c["application/json"].(map[string]any)
	s, _ := j["schema"].(map[string]any)
	return s
}

func (v *specValidator) check(schema map[string]any, doc any, at string) error {
	if ref, ok := schema["$ref"].(string); ok {
		s, _ := v.schemas[strings.TrimPrefix(ref, "#/components/schemas/")].(map[string]any)
		if s == nil {
			return fmt.Errorf("%s: unknown $ref %s", at, ref)
		}
		return v.check(s, doc, at)
	}
	if alts, ok := schema["oneOf"].([]any); ok {
		var errs []string
		for _, a := range alts {
			err := v.check(a.(map[string]any), doc, at)
			if err == nil {
				return nil
			}
			errs = append(errs, err.Error())
		}
		return fmt.Errorf("%s: matches no alternative: %s", at, strings.Join(errs, "; "))
	}
	if t, ok := schema["type"]; ok {
		var types []string
		switch t := t.(type) {
		case string:
			types = []string{t}
		case []any:
			for _, x := range t {
				types = append(types, x.(string))
			}
		}
		ok := false
		for _, ty := range types {
			ok = ok || typeMatches(ty, doc)
		}
		if !ok {
			return fmt.Errorf("%s: %T is not %v", at, doc, types)
		}
	}
	if enum, ok := schema["enum"].([]any); ok {
		found := false
		for _, e := range enum {
			found = found || e == doc
		}
		if !found {
			return fmt.Errorf("%s: %v not in %v", at, doc, enum)
		}
	}
	switch d := doc.(type) {
	case map[string]any:
		for _, r := range asList(schema["required"]) {
			if _, ok := d[r]; !ok {
				return fmt.Errorf("%s: missing required %q", at, r)
			}
		}
		props, _ := schema["properties"].(map[string]any)
		for k, val := range d {
			if ps, ok := props[k].(map[string]any); ok {
				if err := v.check(ps, val, at+"."+k); err != nil {
					return err
				}
			} else if ap, ok := schema["additionalProperties"].(map[string]any); ok {
				if err := v.check(ap, val, at+"."+k); err != nil {
					return err
				}
			}
		}
	case []any:
		if items, ok := schema["items"].(map[string]any); ok {
			for i, it := range d {
				if err := v.check(items, it, fmt.Sprintf("%s[%d]", at, i)); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

func typeMatches(ty string, doc any) bool {
	switch ty {
	case "null":
		return doc == nil
	case "object":
		_, ok := doc.(map[string]any)
		return ok
	case "array":
		_, ok := doc.([]any)
		return ok
	case "string":
		_, ok := doc.(string)
		return ok
	case "boolean":
		_, ok := doc.(bool)
		return ok
	case "number":
		_, ok := doc.(float64)
		return ok
	case "integer":
		f, ok := doc.(float64)
		return ok && f == float64(int64(f))
	}
	return false
}

func asList(v any) []string {
	l, _ := v.([]any)
	out := make([]string, 0, len(l))
	for _, x := range l {
		out = append(out, x.(string))
	}
	return out
}

// validate checks a real response body against the spec for its route and status.
func (v *specValidator) validate(t testing.TB, path, method string, status int, body []byte) {
	t.Helper()
	s := v.response(path, method, status)
	if s == nil {
		t.Errorf("openapi.json documents no JSON response for %s %s %d", method, path, status)
		return
	}
	var doc any
	if err := json.Unmarshal(body, &doc); err != nil {
		t.Errorf("%s %s %d: body is not JSON: %v", method, path, status, err)
		return
	}
	if err := v.check(s, doc, "$"); err != nil {
		t.Errorf("%s %s %d does not match openapi.json: %v", method, path, status, err)
	}
}

func TestSpecSelfConsistent(t *testing.T) {
	v := loadSpec(t)
	for name, s := range v.schemas {
		for _, r := range asList(s.(map[string]any)["required"]) {
			props, _ := s.(map[string]any)["properties"].(map[string]any)
			if _, ok := props[r]; !ok {
				t.Errorf("schema %s requires undeclared %q", name, r)
			}
		}
	}
	for _, p := range []string{"/process", "/process/batch", "/process_batch", "/health", "/readiness", "/info", "/metrics", "/openapi.json", "/"} {
		if v.paths[p] == nil {
			t.Errorf("route %s is not in openapi.json", p)
		}
	}
}
