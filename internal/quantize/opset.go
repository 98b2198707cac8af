package quantize

import (
	"fmt"

	pb "github.com/datalid/datalid/internal/quantize/onnxpb"
)

// minOpset is the first ONNX opset with QLinearConv and QLinearMatMul, the ops ONNX Runtime
// fuses a QDQ group into; a model below it loads but fails with "no op registered".
const minOpset = 10

// raiseOpset lifts an opset-9 model to opset 10. Of the ops these models use, only Slice changed
// meaning from 9 to 10 (its starts, ends and axes moved from attributes to inputs), so those
// are rewritten; any other op this package does not know stops the upgrade.
func raiseOpset(m *pb.ModelProto) error {
	var def *pb.OperatorSetIdProto
	for _, o := range m.OpsetImport {
		if o.Domain == "" || o.Domain == "ai.onnx" {
			def = o
		}
	}
	if def == nil || def.Version >= minOpset {
		return nil
	}
	if def.Version != 9 {
		return fmt.Errorf("%w: opset %d: only opset 9 can be raised to %d", ErrModel, def.Version, minOpset)
	}
	g := m.Graph
	for _, n := range g.Node {
		if n.Domain != "" {
			continue
		}
		if !sameIn9And10[n.OpType] && n.OpType != "Slice" {
			return fmt.Errorf("%w: op %s may change meaning from opset 9 to 10", ErrModel, n.OpType)
		}
		if n.OpType != "Slice" {
			continue
		}
		ints := map[string][]int64{}
		for _, a := range n.Attribute {
			ints[a.Name] = a.Ints
		}
		if len(ints["starts"]) == 0 || len(ints["starts"]) != len(ints["ends"]) {
			return fmt.Errorf("%w: Slice %s without starts/ends", ErrModel, nodeKey(n))
		}
		key := nodeKey(n)
		names := []string{key + "_starts", key + "_ends"}
		vals := [][]int64{ints["starts"], ints["ends"]}
		if ax := ints["axes"]; len(ax) > 0 {
			names, vals = append(names, key+"_axes"), append(vals, ax)
		}
		for i, nm := range names {
			g.Initializer = append(g.Initializer, &pb.TensorProto{Name: nm, Dims: []int64{int64(len(vals[i]))},
				DataType: int32(pb.TensorProto_INT64), Int64Data: vals[i]})
		}
		n.Input = append(n.Input[:1], names...)
		n.Attribute = nil
	}
	def.Version = minOpset
	return nil
}

// sameIn9And10 are the ops with the same meaning at opsets 9 and 10 (MaxPool and AveragePool
// gained optional attributes whose defaults are the old behaviour).
var sameIn9And10 = map[string]bool{
	"Add": true, "AveragePool": true, "BatchNormalization": true, "Cast": true, "Clip": true,
	"Concat": true, "Conv": true, "Div": true, "GlobalAveragePool": true, "HardSigmoid": true,
	"MatMul": true, "MaxPool": true, "Mul": true, "Pow": true, "ReduceMean": true, "Relu": true,
	"Reshape": true, "Shape": true, "Sigmoid": true, "Softmax": true, "Sqrt": true,
	"Squeeze": true, "Unsqueeze": true, "Sub": true, "Transpose": true, "Flatten": true,
	"Gather": true, "ReduceMin": true, "ReduceMax": true, "Constant": true, "Sum": true,
	"Tanh": true, "Exp": true, "Neg": true, "Gemm": true, "ConvTranspose": true,
}
