//go:build !cgo

package onnx

import (
	"context"
	"errors"
)

// errNoCgo explains why a build without cgo cannot run models: the runtime is a C library.
var errNoCgo = errors.New("onnx: this binary was built without cgo (CGO_ENABLED=0); ONNX Runtime needs cgo")

// Init always fails without cgo.
func Init(path string) (string, error) { return "", errors.Join(ErrLibrary, errNoCgo) }

// Version is empty without cgo.
func Version() string { return "" }

// Session is unavailable without cgo.
type Session struct{}

// NewSession always fails without cgo.
func NewSession(path string, opt Options) (*Session, error) {
	return nil, errors.Join(ErrModel, errNoCgo)
}

func (s *Session) Name() string     { return "" }
func (s *Session) Provider() string { return "" }
func (s *Session) Input() IO        { return IO{} }
func (s *Session) Output() IO       { return IO{} }
func (s *Session) Close() error     { return nil }

// Run always fails without cgo.
func (s *Session) Run(ctx context.Context, shape []int64, data []float32) ([]int64, []float32, error) {
	return nil, nil, errNoCgo
}

// RunShaped always fails without cgo.
func (s *Session) RunShaped(ctx context.Context, shape []int64, data []float32, outShape []int64) ([]int64, []float32, error) {
	return nil, nil, errNoCgo
}

// Probe is unavailable without cgo.
type Probe struct{}

// NewProbe always fails without cgo.
func NewProbe(model []byte, input string, outputs []string, opt Options) (*Probe, error) {
	return nil, errors.Join(ErrModel, errNoCgo)
}

// Run always fails without cgo.
func (p *Probe) Run(shape []int64, data []float32) ([][]float32, error) { return nil, errNoCgo }

// Close does nothing without cgo.
func (p *Probe) Close() error { return nil }

// ShrinkArena does nothing useful without cgo: there is no runtime.
func ShrinkArena() error { return errNoCgo }
