//go:build cgo

package onnx

import (
	"fmt"
	"log/slog"
	"os"
	"sync"

	ort "github.com/yalue/onnxruntime_go"
)

// The ORT environment is process-wide by design of the C API; it is the one global we keep.
var env struct {
	sync.Mutex
	path    string
	version string
	err     error
	done    bool
}

// Init loads the runtime library at path and creates the process-wide environment. Later calls
// with the same path are no-ops; a different path is an error because the C library cannot be
// swapped inside one process.
func Init(path string) (version string, err error) {
	env.Lock()
	defer env.Unlock()
	if env.done {
		if env.err == nil && path != env.path {
			return "", fmt.Errorf("%w: already initialised from %s, cannot switch to %s", ErrLibrary, env.path, path)
		}
		return env.version, env.err
	}
	env.done, env.path = true, path
	if _, statErr := os.Stat(path); statErr != nil {
		env.err = fmt.Errorf("%w: %v (run `make setup` to fetch it)", ErrLibrary, statErr)
		env.done = false // let a later call retry once the file exists
		return "", env.err
	}
	ort.SetSharedLibraryPath(path)
	if e := ort.InitializeEnvironment(ort.WithLogLevelError()); e != nil {
		env.err = fmt.Errorf("%w: loading %s: %v", ErrLibrary, path, e)
		return "", env.err
	}
	if e := registerSharedArena(); e != nil {
		env.err = fmt.Errorf("%w: shared CPU arena: %v", ErrLibrary, e)
		return "", env.err
	}
	if e := initRunConfig(path); e != nil {
		// Reads work without it; only the arena's memory is not handed back after a burst.
		slog.Warn("ONNX Runtime arena shrinkage unavailable", "err", e)
	}
	env.version = ort.GetVersion()
	return env.version, nil
}

// Version reports the loaded runtime's version, or "" before Init.
func Version() string {
	env.Lock()
	defer env.Unlock()
	return env.version
}

// registerSharedArena gives all sessions one CPU arena that grows by what is requested.
// Per-session arenas grow by powers of two and are never shared, which measured here as
// hundreds of megabytes kept after a few photos of different sizes.
func registerSharedArena() error {
	cfg, err := ort.NewArenaCfg(0, 1 /* kSameAsRequested */, -1, -1)
	if err != nil {
		return err
	}
	defer cfg.Destroy()
	mi, err := ort.GetMemoryInfo()
	if err != nil {
		return err
	}
	return ort.CreateAndRegisterAllocator(mi, cfg)
}
