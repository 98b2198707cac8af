//go:build cgo

package onnx

/*
#cgo LDFLAGS: -ldl
#include <dlfcn.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

// onnxruntime_go v1.27 wraps OrtRunOptions but not OrtApi::AddRunConfigEntry, and keeps its
// OrtApi pointer private to its own C file. This shim asks the already loaded runtime library
// for the same table. OrtApi is a struct of function pointers that ONNX Runtime only ever
// appends to (its ABI promise), so a member's index never changes; the indices below were
// counted with offsetof against the onnxruntime_c_api.h that onnxruntime_go v1.27 ships
// (ORT_API_VERSION 24), and TestRunConfigRoundTrip fails should one of them be wrong.
typedef struct OrtStatus OrtStatus;
typedef struct OrtRunOptions OrtRunOptions;

typedef struct {
	const void *(*GetApi)(uint32_t version);
	const char *(*GetVersionString)(void);
} datalidApiBase;

enum {
	datalidApiVersion = 24,
	datalidGetErrorMessage = 2,
	datalidReleaseStatus = 93,
	datalidAddRunConfigEntry = 165,
	datalidGetRunConfigEntry = 373,
};

static void *const *datalid_api;

// datalid_api_init finds OrtGetApiBase in the library onnxruntime_go already loaded from
// path (RTLD_NOLOAD: never a second copy) and takes its function table.
static int datalid_api_init(const char *path) {
	void *h = dlopen(path, RTLD_LAZY | RTLD_NOLOAD);
	if (!h) return 1;
	const datalidApiBase *(*base)(void) = (const datalidApiBase *(*)(void))dlsym(h, "OrtGetApiBase");
	if (!base || !base()) return 2;
	datalid_api = (void *const *)base()->GetApi(datalidApiVersion);
	return datalid_api ? 0 : 3;
}

// datalid_add_run_config sets key=value on o; on failure it returns the runtime's message,
// which the caller frees.
static char *datalid_add_run_config(OrtRunOptions *o, const char *key, const char *value) {
	OrtStatus *(*add)(OrtRunOptions *, const char *, const char *) =
		(OrtStatus * (*)(OrtRunOptions *, const char *, const char *)) datalid_api[datalidAddRunConfigEntry];
	OrtStatus *st = add(o, key, value);
	if (!st) return NULL;
	const char *(*msg)(const OrtStatus *) = (const char *(*)(const OrtStatus *))datalid_api[datalidGetErrorMessage];
	char *out = strdup(msg(st));
	void (*release)(OrtStatus *) = (void (*)(OrtStatus *))datalid_api[datalidReleaseStatus];
	release(st);
	return out;
}

// datalid_get_run_config reads key back (NULL when unset); the runtime owns the string.
static const char *datalid_get_run_config(const OrtRunOptions *o, const char *key) {
	const char *(*get)(const OrtRunOptions *, const char *) =
		(const char *(*)(const OrtRunOptions *, const char *))datalid_api[datalidGetRunConfigEntry];
	return get(o, key);
}
*/
import "C"

import (
	"errors"
	"fmt"
	"unsafe"

	ort "github.com/yalue/onnxruntime_go"
)

// errRunConfig means the shim could not reach the runtime's function table; sessions then run
// without run-time config entries (the arena is not shrunk), which costs memory, not reads.
var errRunConfig = errors.New("onnx: run config entries unavailable")

// runConfigReady is set by Init once the shim has the runtime's function table.
var runConfigReady bool

// initRunConfig is called by Init, under env's lock, after the library is loaded.
func initRunConfig(path string) error {
	// ort.RunOptions is struct{ o *C.OrtRunOptions } in onnxruntime_go v1.27; runOptionsPtr
	// reads that one field. A different size means the binding changed and the read is unsafe.
	if unsafe.Sizeof(ort.RunOptions{}) != unsafe.Sizeof(uintptr(0)) {
		return fmt.Errorf("%w: ort.RunOptions is %d bytes, want one pointer", errRunConfig, unsafe.Sizeof(ort.RunOptions{}))
	}
	cpath := C.CString(path)
	defer C.free(unsafe.Pointer(cpath))
	if rc := C.datalid_api_init(cpath); rc != 0 {
		return fmt.Errorf("%w: api table (code %d)", errRunConfig, rc)
	}
	runConfigReady = true
	return nil
}

func runOptionsPtr(ro *ort.RunOptions) *C.OrtRunOptions {
	return *(**C.OrtRunOptions)(unsafe.Pointer(ro))
}

// setRunConfig adds a run-time config entry (onnxruntime_run_options_config_keys.h) to ro.
func setRunConfig(ro *ort.RunOptions, key, value string) error {
	if !runConfigReady {
		return errRunConfig
	}
	p := runOptionsPtr(ro)
	if p == nil {
		return fmt.Errorf("%w: run options not created", errRunConfig)
	}
	ck, cv := C.CString(key), C.CString(value)
	defer C.free(unsafe.Pointer(ck))
	defer C.free(unsafe.Pointer(cv))
	if msg := C.datalid_add_run_config(p, ck, cv); msg != nil {
		defer C.free(unsafe.Pointer(msg))
		return fmt.Errorf("onnx: run config %s=%s: %s", key, value, C.GoString(msg))
	}
	return nil
}

// runConfig reads an entry back ("" when unset); tests use it to check the shim end to end.
func runConfig(ro *ort.RunOptions, key string) string {
	if !runConfigReady {
		return ""
	}
	ck := C.CString(key)
	defer C.free(unsafe.Pointer(ck))
	v := C.datalid_get_run_config(runOptionsPtr(ro), ck)
	if v == nil {
		return ""
	}
	return C.GoString(v)
}
