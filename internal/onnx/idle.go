//go:build cgo

package onnx

import (
	"fmt"
	"sync"

	ort "github.com/yalue/onnxruntime_go"
	"google.golang.org/protobuf/encoding/protowire"
)

// The arena is shrunk only when the process is idle (ShrinkArena), not after every run:
// the next read would otherwise fault its tensors' pages in afresh each time.

// shrinker is a one-node model run only to end a run with the shrink option. Its session uses
// the environment's shared arena, so the shrink frees every session's free regions.
var shrinker struct {
	sync.Mutex
	sess *ort.DynamicAdvancedSession
	err  error
}

// ShrinkArena hands the shared CPU arena's free regions back to the C allocator (a glibc
// malloc_trim after it returns them to the system). Regions a run in progress is using stay.
// It costs a run of a one-element Identity model, well under a millisecond.
func ShrinkArena() error {
	if Version() == "" || !runConfigReady {
		return errRunConfig
	}
	shrinker.Lock()
	defer shrinker.Unlock()
	if shrinker.sess == nil && shrinker.err == nil {
		shrinker.sess, shrinker.err = newShrinker()
	}
	if shrinker.err != nil {
		return shrinker.err
	}
	ro, err := ort.NewRunOptions()
	if err != nil {
		return err
	}
	defer ro.Destroy()
	if err := setRunConfig(ro, arenaShrinkKey, arenaShrinkCPU); err != nil {
		return err
	}
	in, err := ort.NewTensor(ort.NewShape(1), []float32{0})
	if err != nil {
		return err
	}
	defer in.Destroy()
	outs := []ort.Value{nil}
	if err := shrinker.sess.RunWithOptions([]ort.Value{in}, outs, ro); err != nil {
		return fmt.Errorf("onnx: arena shrink run: %w", err)
	}
	outs[0].Destroy()
	return nil
}

func newShrinker() (*ort.DynamicAdvancedSession, error) {
	so, _, err := sessionOptions(Options{IntraOpThreads: 1, InterOpThreads: 1, CPUMemArena: true})
	if err != nil {
		return nil, err
	}
	defer so.Destroy()
	return ort.NewDynamicAdvancedSessionWithONNXData(identityModel(), []string{"x"}, []string{"y"}, so)
}

// identityModel is the serialised ONNX model y = Identity(x), x and y float[1] (field
// numbers from onnx.proto: ModelProto, GraphProto, NodeProto, ValueInfoProto, TypeProto).
func identityModel() []byte {
	msg := func(num protowire.Number, body []byte) []byte {
		return protowire.AppendBytes(protowire.AppendTag(nil, num, protowire.BytesType), body)
	}
	str := func(num protowire.Number, s string) []byte { return msg(num, []byte(s)) }
	varint := func(num protowire.Number, v uint64) []byte {
		return protowire.AppendVarint(protowire.AppendTag(nil, num, protowire.VarintType), v)
	}
	cat := func(parts ...[]byte) []byte {
		var b []byte
		for _, p := range parts {
			b = append(b, p...)
		}
		return b
	}
	// ValueInfoProto{name, type: TypeProto{tensor_type: {elem_type: FLOAT, shape: {dim: [{dim_value: 1}]}}}}
	value := func(name string) []byte {
		shape := msg(2, msg(1, varint(1, 1)))
		return cat(str(1, name), msg(2, msg(1, cat(varint(1, 1), shape))))
	}
	node := cat(str(1, "x"), str(2, "y"), str(4, "Identity"))
	graph := cat(msg(1, node), str(2, "shrink"), msg(11, value("x")), msg(12, value("y")))
	// ir_version 7, opset 13 (Identity is in every opset the runtime supports).
	return cat(varint(1, 7), msg(8, varint(2, 13)), msg(7, graph))
}
