//go:build cgo

package onnx

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	ort "github.com/yalue/onnxruntime_go"
)

// Session is a loaded model with one float input and one float output, safe for concurrent Run.
type Session struct {
	name     string
	provider string
	input    IO
	output   IO

	mu   sync.RWMutex // guards s against Close during Run
	sess *ort.DynamicAdvancedSession
	// unshaped is set once the model refused an output shape RunShaped was given.
	unshaped atomic.Bool
}

// NewSession loads the model at path. Input and output names and shapes are read from the
// model; models with other than one input and one output are refused. When the requested
// provider cannot be enabled the session falls back to CPU and Provider() says so.
func NewSession(path string, opt Options) (*Session, error) {
	if Version() == "" {
		return nil, fmt.Errorf("%w: %s: runtime not initialised", ErrModel, path)
	}
	ins, outs, err := ort.GetInputOutputInfo(path)
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %v", ErrModel, path, err)
	}
	if len(ins) != 1 || len(outs) != 1 {
		return nil, fmt.Errorf("%w: %s: want 1 input and 1 output, model has %d and %d", ErrModel, path, len(ins), len(outs))
	}
	for _, io := range []ort.InputOutputInfo{ins[0], outs[0]} {
		if io.DataType != ort.TensorElementDataTypeFloat {
			return nil, fmt.Errorf("%w: %s: %s is %v, want float32", ErrModel, path, io.Name, io.DataType)
		}
	}
	s := &Session{
		name:   path,
		input:  IO{Name: ins[0].Name, Shape: append([]int64(nil), ins[0].Dimensions...)},
		output: IO{Name: outs[0].Name, Shape: append([]int64(nil), outs[0].Dimensions...)},
	}
	so, provider, err := sessionOptions(opt)
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %v", ErrModel, path, err)
	}
	defer so.Destroy()
	s.provider = provider
	s.sess, err = ort.NewDynamicAdvancedSession(path, []string{s.input.Name}, []string{s.output.Name}, so)
	if err != nil && provider != "cpu" {
		// A GPU provider that registers but fails at session creation: retry on CPU.
		cpu := opt
		cpu.Provider = "cpu"
		so2, _, err2 := sessionOptions(cpu)
		if err2 == nil {
			defer so2.Destroy()
			s.sess, err = ort.NewDynamicAdvancedSession(path, []string{s.input.Name}, []string{s.output.Name}, so2)
			s.provider = "cpu"
		}
	}
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %v", ErrModel, path, err)
	}
	return s, nil
}

func sessionOptions(opt Options) (*ort.SessionOptions, string, error) {
	so, err := ort.NewSessionOptions()
	if err != nil {
		return nil, "", err
	}
	fail := func(e error) (*ort.SessionOptions, string, error) { so.Destroy(); return nil, "", e }
	if opt.IntraOpThreads > 0 {
		if err := so.SetIntraOpNumThreads(opt.IntraOpThreads); err != nil {
			return fail(err)
		}
	}
	if opt.InterOpThreads > 0 {
		if err := so.SetInterOpNumThreads(opt.InterOpThreads); err != nil {
			return fail(err)
		}
	}
	level, err := graphLevel(opt.GraphOptimization)
	if err != nil {
		return fail(err)
	}
	if err := so.SetGraphOptimizationLevel(level); err != nil {
		return fail(err)
	}
	if err := so.SetCpuMemArena(opt.CPUMemArena); err != nil {
		return fail(err)
	}
	// Memory patterns pre-plan one block per input shape; our shapes vary per photo, so the
	// plans cost memory without being reused.
	if err := so.SetMemPattern(false); err != nil {
		return fail(err)
	}
	if opt.CPUMemArena {
		if err := so.AddSessionConfigEntry("session.use_env_allocators", "1"); err != nil {
			return fail(err)
		}
	}
	if opt.ProfilePrefix != "" {
		if err := so.EnableProfiling(opt.ProfilePrefix); err != nil {
			return fail(err)
		}
	}
	provider, err := appendProvider(so, opt)
	if err != nil {
		return fail(err)
	}
	return so, provider, nil
}

func graphLevel(s string) (ort.GraphOptimizationLevel, error) {
	switch strings.ToLower(s) {
	case "", "all":
		return ort.GraphOptimizationLevelEnableAll, nil
	case "extended":
		return ort.GraphOptimizationLevelEnableExtended, nil
	case "basic":
		return ort.GraphOptimizationLevelEnableBasic, nil
	case "disable", "none":
		return ort.GraphOptimizationLevelDisableAll, nil
	}
	return 0, fmt.Errorf("unknown graph optimisation level %q", s)
}

// Name is the model path the session was loaded from.
func (s *Session) Name() string { return s.name }

// Provider is the execution provider actually in use: cpu, cuda or tensorrt.
func (s *Session) Provider() string { return s.provider }

// Input and Output describe the model's signature.
func (s *Session) Input() IO  { return s.input }
func (s *Session) Output() IO { return s.output }

// Run feeds one float tensor and returns the model's output. A cancelled context stops a run
// in progress through the runtime's terminate flag.
func (s *Session) Run(ctx context.Context, shape []int64, data []float32) ([]int64, []float32, error) {
	return s.run(ctx, shape, data, nil)
}

// RunShaped is Run for a caller that knows the output's shape: the runtime writes straight
// into a Go buffer instead of its own, which the binding would copy (5 % of a read on CPU).
// Should the model disagree with outShape, the session falls back to Run for good.
func (s *Session) RunShaped(ctx context.Context, shape []int64, data []float32, outShape []int64) ([]int64, []float32, error) {
	if s.unshaped.Load() {
		return s.Run(ctx, shape, data)
	}
	n := int64(1)
	for _, d := range outShape {
		n *= d
	}
	if n <= 0 {
		return s.Run(ctx, shape, data)
	}
	buf := make([]float32, n)
	out, err := ort.NewTensor(ort.NewShape(outShape...), buf)
	if err != nil {
		return nil, nil, fmt.Errorf("onnx: %s: output tensor %v: %w", s.name, outShape, err)
	}
	defer out.Destroy()
	gotShape, got, err := s.run(ctx, shape, data, out)
	if err != nil && ctx.Err() == nil && !errors.Is(err, ErrClosed) {
		s.unshaped.Store(true)
		return s.Run(ctx, shape, data)
	}
	return gotShape, got, err
}

// run runs the model; with out nil the runtime allocates the output and the binding copies
// it into Go memory, otherwise the output is written into out.
func (s *Session) run(ctx context.Context, shape []int64, data []float32, out *ort.Tensor[float32]) ([]int64, []float32, error) {
	if err := ctx.Err(); err != nil {
		return nil, nil, err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.sess == nil {
		return nil, nil, ErrClosed
	}
	in, err := ort.NewTensor(ort.NewShape(shape...), data)
	if err != nil {
		return nil, nil, fmt.Errorf("onnx: %s: input tensor %v: %w", s.name, shape, err)
	}
	defer in.Destroy()
	var ro *ort.RunOptions
	if ctx.Done() != nil {
		if ro, err = ort.NewRunOptions(); err == nil {
			defer ro.Destroy()
			stop := context.AfterFunc(ctx, func() { ro.Terminate() })
			defer stop()
		}
	}
	outs := []ort.Value{nil}
	if out != nil {
		outs[0] = out
	}
	t0 := time.Now()
	err = s.sess.RunWithOptions([]ort.Value{in}, outs, ro)
	recordRun(time.Since(t0))
	runtime.KeepAlive(data)
	if err != nil {
		if ctx.Err() != nil {
			return nil, nil, ctx.Err()
		}
		return nil, nil, fmt.Errorf("onnx: %s: run %v: %w", s.name, shape, err)
	}
	if out != nil {
		return out.GetShape(), out.GetData(), nil
	}
	defer outs[0].Destroy()
	t, ok := outs[0].(*ort.Tensor[float32])
	if !ok {
		return nil, nil, fmt.Errorf("onnx: %s: output is %T, want float32 tensor", s.name, outs[0])
	}
	// onnxruntime_go already copied the output into Go memory, which Destroy leaves alone:
	// the slice is returned as it is (a second copy cost 5 % of a read).
	return t.GetShape(), t.GetData(), nil
}

// Close releases the native session; it waits for runs in progress.
func (s *Session) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.sess == nil {
		return nil
	}
	err := s.sess.Destroy()
	s.sess = nil
	return err
}
