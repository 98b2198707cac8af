// Package onnx owns ONNX Runtime: loading the shared library once, creating sessions with the
// configured threads, optimisation level, memory arena and execution provider, and running them.
// It is the only package that imports the runtime binding; everything above it sees a plain
// Run(ctx, shape, data) method. Built without cgo, every call fails with a clear error.
package onnx

import "errors"

var (
	// ErrLibrary reports that the runtime shared library could not be loaded.
	ErrLibrary = errors.New("onnx runtime library")
	// ErrModel reports a model file that could not be loaded or has an unexpected signature.
	ErrModel = errors.New("onnx model")
	// ErrClosed is returned by Run after Close.
	ErrClosed = errors.New("onnx session closed")
)

// Options are the per-session runtime settings.
type Options struct {
	IntraOpThreads    int
	InterOpThreads    int
	GraphOptimization string // disable | basic | extended | all
	CPUMemArena       bool
	Provider          string // cpu | cuda | tensorrt
	DeviceID          int
	FP16              bool
	EngineCacheDir    string
	// ProfilePrefix, when set, makes the runtime write a JSON trace of every node run
	// (prefix_<date>.json) when the session is closed; bench counts model MACs from it.
	ProfilePrefix string
}

// IO describes one model input or output as the model declares it (-1 for dynamic dimensions).
type IO struct {
	Name  string
	Shape []int64
}
