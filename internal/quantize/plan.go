package quantize

import (
	pb "github.com/datalid/datalid/internal/quantize/onnxpb"
)

// site is one node the quantizer can turn into an integer kernel: its float activation input,
// its weight, and the tensor whose range becomes its quantized output (a Relu right after it
// is folded in: an unsigned 8-bit output starting at zero clamps exactly as the Relu did).
type site struct {
	node   *pb.NodeProto
	relu   *pb.NodeProto // folded activation, nil when none
	input  string        // activation input
	output string        // tensor quantized at the output (the Relu's when folded)
}

// Key names the site as -keep and reports do: the node's first output.
func (s site) Key() string { return nodeKey(s.node) }

// sites lists, in graph order, the nodes with a constant weight whose output is not a graph
// output (that tensor is renamed around its Q/DQ pair, which a graph output cannot be).
func sites(g *pb.GraphProto) []site {
	inits := initializers(g)
	consumers := map[string][]*pb.NodeProto{}
	for _, n := range g.Node {
		for _, in := range n.Input {
			consumers[in] = append(consumers[in], n)
		}
	}
	outputs := map[string]bool{}
	for _, o := range g.Output {
		outputs[o.Name] = true
	}
	var out []site
	for _, n := range g.Node {
		if !weightOps[n.OpType] || n.Domain != "" || len(n.Input) < 2 || len(n.Output) != 1 {
			continue
		}
		w, ok := inits[n.Input[1]]
		if !ok || w.DataType != int32(pb.TensorProto_FLOAT) {
			continue
		}
		if n.OpType == "MatMul" && len(w.Dims) != 2 {
			continue
		}
		if _, ok := inits[n.Input[0]]; ok {
			continue
		}
		if n.OpType == "Conv" && len(n.Input) > 2 {
			if b, ok := inits[n.Input[2]]; !ok || b.DataType != int32(pb.TensorProto_FLOAT) {
				continue
			}
		}
		s := site{node: n, input: n.Input[0], output: n.Output[0]}
		if c := consumers[s.output]; len(c) == 1 && c[0].OpType == "Relu" && c[0].Domain == "" && !outputs[s.output] {
			s.relu, s.output = c[0], c[0].Output[0]
		}
		if outputs[s.output] {
			continue
		}
		out = append(out, s)
	}
	return out
}

// calibrationTensors are the tensors whose ranges the QDQ model needs, each once, in order.
func calibrationTensors(ss []site) []string {
	seen := map[string]bool{}
	var out []string
	for _, s := range ss {
		for _, t := range []string{s.input, s.output} {
			if !seen[t] {
				seen[t] = true
				out = append(out, t)
			}
		}
	}
	return out
}
