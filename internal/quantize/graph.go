package quantize

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"os"

	pb "github.com/datalid/datalid/internal/quantize/onnxpb"
	"google.golang.org/protobuf/proto"
)

// ErrModel reports a model this package cannot quantize.
var ErrModel = errors.New("quantize: model")

// msDomain holds ONNX Runtime's QuantizeLinear/DequantizeLinear, which take a per-channel axis
// at any opset; the standard ops need opset 13 for that, and these models are opset 9 and 11
// (raising their opset would change the meaning of other ops in them).
const msDomain = "com.microsoft"

// Load reads an ONNX model and turns its Constant nodes (how paddle2onnx stores weights) into
// initializers, so weights are found in one place.
func Load(path string) (*pb.ModelProto, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return Parse(b)
}

// Parse is Load for bytes already read.
func Parse(b []byte) (*pb.ModelProto, error) {
	m := &pb.ModelProto{}
	if err := proto.Unmarshal(b, m); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrModel, err)
	}
	if m.Graph == nil || len(m.Graph.Input) == 0 || len(m.Graph.Output) == 0 {
		return nil, fmt.Errorf("%w: no graph, input or output", ErrModel)
	}
	g := m.Graph
	kept := g.Node[:0]
	for _, n := range g.Node {
		if t := constantTensor(n); t != nil {
			t.Name = n.Output[0]
			g.Initializer = append(g.Initializer, t)
			continue
		}
		kept = append(kept, n)
	}
	g.Node = kept
	return m, nil
}

// Marshal serialises m with a stable field order, so one model and one calibration always give
// the same bytes (the set-up records their hash).
func Marshal(m *pb.ModelProto) ([]byte, error) {
	return proto.MarshalOptions{Deterministic: true}.Marshal(m)
}

func constantTensor(n *pb.NodeProto) *pb.TensorProto {
	if n.OpType != "Constant" || n.Domain != "" || len(n.Output) != 1 {
		return nil
	}
	for _, a := range n.Attribute {
		if a.Name == "value" && a.T != nil {
			return a.T
		}
	}
	return nil
}

// floats returns a float tensor's values whether stored as raw bytes or float_data.
func floats(t *pb.TensorProto) ([]float32, bool) {
	if t.DataType != int32(pb.TensorProto_FLOAT) {
		return nil, false
	}
	if len(t.RawData) > 0 {
		v := make([]float32, len(t.RawData)/4)
		for i := range v {
			v[i] = math.Float32frombits(binary.LittleEndian.Uint32(t.RawData[4*i:]))
		}
		return v, true
	}
	return t.FloatData, true
}

func floatTensor(name string, dims []int64, v []float32) *pb.TensorProto {
	raw := make([]byte, 4*len(v))
	for i, x := range v {
		binary.LittleEndian.PutUint32(raw[4*i:], math.Float32bits(x))
	}
	return &pb.TensorProto{Name: name, Dims: dims, DataType: int32(pb.TensorProto_FLOAT), RawData: raw}
}

func int8Tensor(name string, dims []int64, v []int8) *pb.TensorProto {
	raw := make([]byte, len(v))
	for i, x := range v {
		raw[i] = byte(x)
	}
	return &pb.TensorProto{Name: name, Dims: dims, DataType: int32(pb.TensorProto_INT8), RawData: raw}
}

func uint8Tensor(name string, dims []int64, v []uint8) *pb.TensorProto {
	return &pb.TensorProto{Name: name, Dims: dims, DataType: int32(pb.TensorProto_UINT8), RawData: append([]byte(nil), v...)}
}

func int32Tensor(name string, dims []int64, v []int32) *pb.TensorProto {
	raw := make([]byte, 4*len(v))
	for i, x := range v {
		binary.LittleEndian.PutUint32(raw[4*i:], uint32(x))
	}
	return &pb.TensorProto{Name: name, Dims: dims, DataType: int32(pb.TensorProto_INT32), RawData: raw}
}

func attrInt(name string, v int64) *pb.AttributeProto {
	return &pb.AttributeProto{Name: name, Type: pb.AttributeProto_INT, I: v}
}

// initializers maps name → initializer.
func initializers(g *pb.GraphProto) map[string]*pb.TensorProto {
	m := make(map[string]*pb.TensorProto, len(g.Initializer))
	for _, t := range g.Initializer {
		m[t.Name] = t
	}
	return m
}

// weightOps are the ops whose second input is a weight quantized per output channel: the ones
// ONNX Runtime turns into integer kernels (QLinearConv, MatMulInteger) from a QDQ group.
var weightOps = map[string]bool{"Conv": true, "MatMul": true}

// Node names are often empty in these models; the first output names a node uniquely.
func nodeKey(n *pb.NodeProto) string {
	if len(n.Output) == 0 {
		return n.Name
	}
	return n.Output[0]
}
