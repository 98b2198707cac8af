package quantize

import (
	"math"

	pb "github.com/datalid/datalid/internal/quantize/onnxpb"
)

// Simplify rewrites patterns that cost elementwise passes without changing what the model
// computes (up to float rounding), so the integer model has fewer float ops between its integer
// kernels: a constant Mul, Add or BatchNormalization right after a Conv is folded into the
// Conv's weights and bias (PP-LCNetV3's "learnable affine blocks" and the detector head's
// batch norms), and hard-swish spelled x·clip(x+3,0,6)/6 becomes x·HardSigmoid(x) (two ops
// instead of four). It reports how many nodes it removed.
func Simplify(m *pb.ModelProto) int {
	g := m.Graph
	before := len(g.Node)
	for foldConvAffine(g) {
	}
	hardSwish(g)
	dropUnused(g)
	return before - len(g.Node)
}

type graphIndex struct {
	inits     map[string]*pb.TensorProto
	consumers map[string][]*pb.NodeProto
	outputs   map[string]bool
}

func index(g *pb.GraphProto) graphIndex {
	x := graphIndex{inits: initializers(g), consumers: map[string][]*pb.NodeProto{}, outputs: map[string]bool{}}
	for _, n := range g.Node {
		for _, in := range n.Input {
			x.consumers[in] = append(x.consumers[in], n)
		}
	}
	for _, o := range g.Output {
		x.outputs[o.Name] = true
	}
	return x
}

// only returns the single consumer of t, or nil when it has several or is a graph output.
func (x graphIndex) only(t string) *pb.NodeProto {
	if c := x.consumers[t]; len(c) == 1 && !x.outputs[t] && c[0].Domain == "" {
		return c[0]
	}
	return nil
}

// perChannel returns a constant's values as one per channel (a scalar repeated), or nil when
// the constant is not a scalar or a [C]/[C,1,1]/[1,C,1,1] vector.
func perChannel(t *pb.TensorProto, c int) []float32 {
	if t == nil {
		return nil
	}
	v, ok := floats(t)
	if !ok {
		return nil
	}
	if len(v) == 1 {
		out := make([]float32, c)
		for i := range out {
			out[i] = v[0]
		}
		return out
	}
	if len(v) != c {
		return nil
	}
	for i, d := range t.Dims { // the channel must be dimension 1 of NCHW (or a plain vector)
		if d != 1 && !(d == int64(c) && (i == len(t.Dims)-3 || len(t.Dims) == 1)) {
			return nil
		}
	}
	return v
}

// foldConvAffine folds one constant affine op into the Conv before it; false when none is left.
func foldConvAffine(g *pb.GraphProto) bool {
	x := index(g)
	for _, n := range g.Node {
		if n.OpType != "Conv" || n.Domain != "" || len(n.Input) < 2 {
			continue
		}
		w := x.inits[n.Input[1]]
		if w == nil || len(w.Dims) == 0 || len(x.consumers[n.Input[1]]) != 1 {
			continue
		}
		c := x.only(n.Output[0])
		if c == nil {
			continue
		}
		ch := int(w.Dims[0])
		scale, shift := affineOf(c, n.Output[0], x, ch)
		if scale == nil {
			continue
		}
		wv, _ := floats(w)
		per := len(wv) / ch
		nw := make([]float32, len(wv))
		for i := range wv {
			nw[i] = wv[i] * scale[i/per]
		}
		bias := make([]float32, ch)
		if len(n.Input) > 2 && n.Input[2] != "" {
			b := x.inits[n.Input[2]]
			bv, ok := floats(b)
			if b == nil || !ok || len(bv) != ch || len(x.consumers[n.Input[2]]) != 1 {
				continue
			}
			copy(bias, bv)
		}
		for i := range bias {
			bias[i] = bias[i]*scale[i] + shift[i]
		}
		key := nodeKey(n)
		replaceInit(g, n.Input[1], floatTensor(key+"_wf", w.Dims, nw))
		n.Input[1] = key + "_wf"
		bname := key + "_bf"
		if len(n.Input) > 2 && n.Input[2] != "" {
			replaceInit(g, n.Input[2], floatTensor(bname, []int64{int64(ch)}, bias))
			n.Input[2] = bname
		} else {
			g.Initializer = append(g.Initializer, floatTensor(bname, []int64{int64(ch)}, bias))
			n.Input = append(n.Input[:2], bname)
		}
		n.Output[0] = c.Output[0]
		removeNode(g, c)
		return true
	}
	return false
}

// affineOf describes c, which reads t, as y = scale·t + shift per channel, or nil when it is
// not a constant Mul, Add, Sub or inference BatchNormalization.
func affineOf(c *pb.NodeProto, t string, x graphIndex, ch int) (scale, shift []float32) {
	ones := func() []float32 {
		v := make([]float32, ch)
		for i := range v {
			v[i] = 1
		}
		return v
	}
	other := func() *pb.TensorProto {
		if len(c.Input) != 2 {
			return nil
		}
		if c.Input[0] == t {
			return x.inits[c.Input[1]]
		}
		return x.inits[c.Input[0]]
	}
	switch c.OpType {
	case "Mul":
		if v := perChannel(other(), ch); v != nil {
			return v, make([]float32, ch)
		}
	case "Add":
		if v := perChannel(other(), ch); v != nil {
			return ones(), v
		}
	case "BatchNormalization":
		if len(c.Input) != 5 || c.Input[0] != t || len(c.Output) != 1 {
			return nil, nil
		}
		eps := float32(1e-5)
		for _, a := range c.Attribute {
			if a.Name == "epsilon" {
				eps = a.F
			}
		}
		var p [4][]float32
		for i := range p {
			if p[i] = perChannel(x.inits[c.Input[i+1]], ch); p[i] == nil {
				return nil, nil
			}
		}
		scale, shift = make([]float32, ch), make([]float32, ch)
		for i := range scale {
			scale[i] = p[0][i] / float32(math.Sqrt(float64(p[3][i]+eps)))
			shift[i] = p[1][i] - p[2][i]*scale[i]
		}
		return scale, shift
	}
	return nil, nil
}

// hardSwish rewrites x → Add(3) → Clip(0,6) → Mul(x) → Div(6) as HardSigmoid(1/6, 1/2) → Mul(x).
func hardSwish(g *pb.GraphProto) {
	x := index(g)
	for _, add := range append([]*pb.NodeProto(nil), g.Node...) {
		if add.OpType != "Add" || add.Domain != "" || len(add.Input) != 2 || !isConst(x, add.Input[1], 3) {
			continue
		}
		in := add.Input[0]
		clip := x.only(add.Output[0])
		if clip == nil || clip.OpType != "Clip" || !clipsTo(clip, x, 0, 6) {
			continue
		}
		mul := x.only(clip.Output[0])
		if mul == nil || mul.OpType != "Mul" || len(mul.Input) != 2 {
			continue
		}
		if !(mul.Input[0] == in && mul.Input[1] == clip.Output[0]) && !(mul.Input[1] == in && mul.Input[0] == clip.Output[0]) {
			continue
		}
		div := x.only(mul.Output[0])
		if div == nil || div.OpType != "Div" || len(div.Input) != 2 || div.Input[0] != mul.Output[0] || !isConst(x, div.Input[1], 6) {
			continue
		}
		hs := add.Output[0]
		*add = pb.NodeProto{OpType: "HardSigmoid", Name: add.Name, Input: []string{in}, Output: []string{hs},
			Attribute: []*pb.AttributeProto{
				{Name: "alpha", Type: pb.AttributeProto_FLOAT, F: float32(1.0 / 6)},
				{Name: "beta", Type: pb.AttributeProto_FLOAT, F: 0.5}}}
		mul.Input = []string{in, hs}
		mul.Output = []string{div.Output[0]}
		removeNode(g, clip)
		removeNode(g, div)
	}
}

func isConst(x graphIndex, name string, want float32) bool {
	v, ok := floats(orEmpty(x.inits[name]))
	return ok && len(v) == 1 && v[0] == want
}

func orEmpty(t *pb.TensorProto) *pb.TensorProto {
	if t == nil {
		return &pb.TensorProto{}
	}
	return t
}

// clipsTo reports a Clip to [lo, hi], by attributes (opset < 11) or constant inputs.
func clipsTo(c *pb.NodeProto, x graphIndex, lo, hi float32) bool {
	if len(c.Input) == 3 {
		return isConst(x, c.Input[1], lo) && isConst(x, c.Input[2], hi)
	}
	var gotLo, gotHi bool
	for _, a := range c.Attribute {
		gotLo = gotLo || (a.Name == "min" && a.F == lo)
		gotHi = gotHi || (a.Name == "max" && a.F == hi)
	}
	return gotLo && gotHi
}

func replaceInit(g *pb.GraphProto, old string, t *pb.TensorProto) {
	for i, in := range g.Initializer {
		if in.Name == old {
			g.Initializer[i] = t
			return
		}
	}
	g.Initializer = append(g.Initializer, t)
}

func removeNode(g *pb.GraphProto, n *pb.NodeProto) {
	for i, m := range g.Node {
		if m == n {
			g.Node = append(g.Node[:i], g.Node[i+1:]...)
			return
		}
	}
}

// dropUnused removes initializers no node reads.
func dropUnused(g *pb.GraphProto) {
	used := map[string]bool{}
	for _, n := range g.Node {
		for _, in := range n.Input {
			used[in] = true
		}
	}
	kept := g.Initializer[:0]
	for _, t := range g.Initializer {
		if used[t.Name] {
			kept = append(kept, t)
		}
	}
	g.Initializer = kept
}
