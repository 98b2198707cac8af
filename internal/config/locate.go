package config

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// EnvModelsDir names the models directory outright; when set, it is the only place looked in.
const EnvModelsDir = EnvPrefix + "MODELS_DIR"

// ErrModelsNotFound is returned by [LocateModels] when no place tried holds the models.
var ErrModelsNotFound = errors.New("models not found")

// ModelPlaces are the directories datalid looks in for the models, in order, so that
// `datalid read` works from any folder: $DATALID_MODELS_DIR alone when it is set or the
// configured dir is absolute; otherwise the configured dir (./models) against the working
// directory, beside the executable (bin/../models covers a checkout's ./bin/datalid) and the
// per-user data directory that `make user-models` fills. environ is "NAME=value" entries and
// exe the running executable ("" when unknown).
func ModelPlaces(dir string, environ []string, exe string) []string {
	env := lookup(environ)
	if v := env[EnvModelsDir]; v != "" {
		return []string{v}
	}
	if dir == "" || filepath.IsAbs(dir) {
		return []string{dir}
	}
	places := []string{dir}
	if exe != "" {
		if resolved, err := filepath.EvalSymlinks(exe); err == nil {
			exe = resolved
		}
		bin := filepath.Dir(exe)
		places = append(places, filepath.Join(bin, dir), filepath.Join(bin, "..", dir))
	}
	if u := UserModelsDir(environ); u != "" {
		places = append(places, u)
	}
	return places
}

// UserModelsDir is the per-user models directory: $XDG_DATA_HOME/datalid/models, else
// ~/.local/share/datalid/models (the XDG default); "" when neither is known.
func UserModelsDir(environ []string) string {
	env := lookup(environ)
	base := env["XDG_DATA_HOME"]
	if base == "" || !filepath.IsAbs(base) { // the XDG spec says to ignore a relative value
		if env["HOME"] == "" {
			return ""
		}
		base = filepath.Join(env["HOME"], ".local", "share")
	}
	return filepath.Join(base, "datalid", "models")
}

// LocateModels points c.Models.Dir at the first of [ModelPlaces] that holds the runtime
// library and the detector; the error names every place tried and how to fill one.
func LocateModels(c *Config, environ []string, exe string) error {
	places := ModelPlaces(c.Models.Dir, environ, exe)
	for _, p := range places {
		m := c.Models
		m.Dir = p
		if present(m.RuntimeLibraryPath()) && present(m.Path(m.Detector)) {
			c.Models.Dir = p
			return nil
		}
	}
	hint := fmt.Sprintf("run `make setup` in a checkout, or `make user-models` to fill %s; or set %s",
		orUnknown(UserModelsDir(environ)), EnvModelsDir)
	if v := lookup(environ)[EnvModelsDir]; v != "" {
		hint = fmt.Sprintf("%s names it; fill it with `make setup MODELS_DIR=%s` in a checkout", EnvModelsDir, v)
	}
	return fmt.Errorf("%w: looked for %s and %s in %s (%s)", ErrModelsNotFound,
		filepath.Base(c.Models.RuntimeLibraryPath()), c.Models.Detector, strings.Join(places, ", "), hint)
}

func present(path string) bool {
	st, err := os.Stat(path)
	return err == nil && !st.IsDir()
}

func orUnknown(s string) string {
	if s == "" {
		return "the per-user directory ($HOME unset)"
	}
	return s
}

func lookup(environ []string) map[string]string {
	env := make(map[string]string, len(environ))
	for _, kv := range environ {
		if k, v, ok := strings.Cut(kv, "="); ok {
			env[k] = v
		}
	}
	return env
}
