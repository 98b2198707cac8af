//go:build cgo

package onnx

import (
	"fmt"
	"sync"

	ort "github.com/yalue/onnxruntime_go"
)

// Probe runs a model held in memory and returns several named float outputs. It serves offline
// tools (the quantizer's calibration and accuracy checks), not reads: a serving Session keeps
// the one-input, one-output contract the pipeline relies on.
type Probe struct {
	mu    sync.Mutex
	sess  *ort.DynamicAdvancedSession
	input string
	outs  []string
}

// NewProbe loads model (serialised ONNX) with input and the outputs named.
func NewProbe(model []byte, input string, outputs []string, opt Options) (*Probe, error) {
	if Version() == "" {
		return nil, fmt.Errorf("%w: runtime not initialised", ErrModel)
	}
	so, _, err := sessionOptions(opt)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrModel, err)
	}
	defer so.Destroy()
	s, err := ort.NewDynamicAdvancedSessionWithONNXData(model, []string{input}, outputs, so)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrModel, err)
	}
	return &Probe{sess: s, input: input, outs: append([]string(nil), outputs...)}, nil
}

// Run feeds one float tensor and returns each output's data in the order NewProbe named them.
func (p *Probe) Run(shape []int64, data []float32) ([][]float32, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.sess == nil {
		return nil, ErrClosed
	}
	in, err := ort.NewTensor(ort.NewShape(shape...), data)
	if err != nil {
		return nil, fmt.Errorf("onnx: probe input %v: %w", shape, err)
	}
	defer in.Destroy()
	outs := make([]ort.Value, len(p.outs))
	if err := p.sess.Run([]ort.Value{in}, outs); err != nil {
		return nil, fmt.Errorf("onnx: probe run %v: %w", shape, err)
	}
	res := make([][]float32, len(outs))
	for i, o := range outs {
		t, ok := o.(*ort.Tensor[float32])
		if !ok {
			for _, o := range outs {
				o.Destroy()
			}
			return nil, fmt.Errorf("onnx: probe output %s is %T, want float32", p.outs[i], o)
		}
		res[i] = t.GetData()
		o.Destroy()
	}
	return res, nil
}

// Close releases the session.
func (p *Probe) Close() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.sess == nil {
		return nil
	}
	err := p.sess.Destroy()
	p.sess = nil
	return err
}
