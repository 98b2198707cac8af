package quantize

import (
	"fmt"
	"math"

	pb "github.com/datalid/datalid/internal/quantize/onnxpb"
	"google.golang.org/protobuf/proto"
)

// Activations are unsigned 8-bit with a zero point and weights signed and symmetric: the
// pairing ONNX Runtime's x86 integer kernels run fastest.
const qmaxU8 = 255

// WeightMax is the largest quantized weight magnitude for a number of weight bits. 7 bits
// (±63) is what x86 CPUs without VNNI need: their kernels add pairs of u8×s8 products in
// 16 bits (VPMADDUBSW), which saturates once 2·255·|w| > 32767. 8 bits (±127) is only safe
// where every CPU that runs the model has VNNI.
func WeightMax(bits int) float64 {
	if bits >= 8 {
		return 127
	}
	return 63
}

// QDQ returns a copy of m with QuantizeLinear/DequantizeLinear pairs around every site not in
// keep (node keys left in FP32), using the calibrated ranges. ONNX Runtime fuses each
// DQ → Conv/MatMul → Q group into one integer kernel when it loads the model.
func QDQ(m *pb.ModelProto, ranges map[string]Range, keep map[string]bool, weightBits int) (*pb.ModelProto, int, error) {
	q := proto.Clone(m).(*pb.ModelProto)
	if err := raiseOpset(q); err != nil {
		return nil, 0, err
	}
	g := q.Graph
	inits := initializers(g)
	ss := sites(g)
	b := &builder{g: g, inits: inits, act: map[string]actQ{}, before: map[*pb.NodeProto][]*pb.NodeProto{},
		after: map[string][]*pb.NodeProto{}, removed: map[*pb.NodeProto]bool{}, rename: map[string]string{},
		wmax: WeightMax(weightBits)}
	n := 0
	for _, s := range ss {
		if keep[s.Key()] {
			continue
		}
		rin, ok1 := ranges[s.input]
		rout, ok2 := ranges[s.output]
		if !ok1 || !ok2 {
			return nil, 0, fmt.Errorf("%w: no calibrated range for %s", ErrModel, s.Key())
		}
		if err := b.site(s, rin, rout); err != nil {
			return nil, 0, err
		}
		n++
	}
	b.finish()
	hasMS := false
	for _, o := range q.OpsetImport {
		hasMS = hasMS || o.Domain == msDomain
	}
	if !hasMS && n > 0 {
		q.OpsetImport = append(q.OpsetImport, &pb.OperatorSetIdProto{Domain: msDomain, Version: 1})
	}
	return q, n, nil
}

type actQ struct {
	scale float32
	zp    uint8
	dq    string // dequantized tensor name
}

type builder struct {
	g       *pb.GraphProto
	inits   map[string]*pb.TensorProto
	act     map[string]actQ
	before  map[*pb.NodeProto][]*pb.NodeProto // weight DQ nodes, emitted before their consumer
	after   map[string][]*pb.NodeProto        // activation Q/DQ, emitted after the tensor's producer
	removed map[*pb.NodeProto]bool            // folded Relus
	rename  map[string]string                 // consumers of a quantized output read its DQ
	wmax    float64
	newInit []*pb.TensorProto
}

func actParams(r Range) (float32, uint8) {
	lo, hi := math.Min(float64(r.Min), 0), math.Max(float64(r.Max), 0)
	scale := (hi - lo) / qmaxU8
	if scale == 0 || math.IsNaN(scale) || math.IsInf(scale, 0) {
		return 1, 0
	}
	zp := math.Round(-lo / scale)
	return float32(scale), uint8(min(max(zp, 0), qmaxU8))
}

// quantizeAct inserts one Q/DQ pair for tensor t (once, shared by every site reading it).
func (b *builder) quantizeAct(t string, r Range) actQ {
	if a, ok := b.act[t]; ok {
		return a
	}
	scale, zp := actParams(r)
	a := actQ{scale: scale, zp: zp, dq: t + "_dq"}
	sName, zName, qName := t+"_scale", t+"_zp", t+"_q"
	b.newInit = append(b.newInit, floatTensor(sName, nil, []float32{scale}), uint8Tensor(zName, nil, []uint8{zp}))
	b.after[t] = append(b.after[t],
		&pb.NodeProto{OpType: "QuantizeLinear", Domain: msDomain, Name: qName, Input: []string{t, sName, zName}, Output: []string{qName}},
		&pb.NodeProto{OpType: "DequantizeLinear", Domain: msDomain, Name: a.dq, Input: []string{qName, sName, zName}, Output: []string{a.dq}})
	b.act[t] = a
	return a
}

func (b *builder) site(s site, rin, rout Range) error {
	n := s.node
	in := b.quantizeAct(s.input, rin)
	w := b.inits[n.Input[1]]
	wv, _ := floats(w)
	channels, axis := int64(1), int64(-1)
	if n.OpType == "Conv" {
		channels, axis = w.Dims[0], 0
	}
	if channels <= 0 || int64(len(wv))%channels != 0 {
		return fmt.Errorf("%w: %s: weight %v does not split into %d channels", ErrModel, s.Key(), w.Dims, channels)
	}
	per := int64(len(wv)) / channels
	scales := make([]float32, channels)
	qw := make([]int8, len(wv))
	for c := int64(0); c < channels; c++ {
		var amax float64
		for _, v := range wv[c*per : (c+1)*per] {
			amax = math.Max(amax, math.Abs(float64(v)))
		}
		sc := amax / b.wmax
		if sc == 0 {
			sc = 1
		}
		scales[c] = float32(sc)
		for i := c * per; i < (c+1)*per; i++ {
			qw[i] = int8(min(max(math.Round(float64(wv[i])/sc), -b.wmax), b.wmax))
		}
	}
	key := s.Key()
	wq, ws, wz, wdq := key+"_w_q", key+"_w_scale", key+"_w_zp", key+"_w_dq"
	sdims := []int64{channels}
	if axis < 0 {
		sdims = nil
	}
	b.newInit = append(b.newInit, int8Tensor(wq, w.Dims, qw), floatTensor(ws, sdims, scales), int8Tensor(wz, sdims, make([]int8, len(scales))))
	dqw := &pb.NodeProto{OpType: "DequantizeLinear", Domain: msDomain, Name: wdq, Input: []string{wq, ws, wz}, Output: []string{wdq}}
	if axis >= 0 {
		dqw.Attribute = []*pb.AttributeProto{attrInt("axis", axis)}
	}
	b.before[n] = append(b.before[n], dqw)
	n.Input[0], n.Input[1] = in.dq, wdq
	if n.OpType == "Conv" && len(n.Input) > 2 && n.Input[2] != "" {
		bias := b.inits[n.Input[2]]
		bv, _ := floats(bias)
		if int64(len(bv)) != channels {
			return fmt.Errorf("%w: %s: %d biases for %d channels", ErrModel, key, len(bv), channels)
		}
		qb := make([]int32, channels)
		bs := make([]float32, channels)
		for c := range qb {
			bs[c] = in.scale * scales[c]
			qb[c] = int32(min(max(math.Round(float64(bv[c])/float64(bs[c])), math.MinInt32), math.MaxInt32))
		}
		bq, bsn, bz, bdq := key+"_b_q", key+"_b_scale", key+"_b_zp", key+"_b_dq"
		b.newInit = append(b.newInit, int32Tensor(bq, []int64{channels}, qb), floatTensor(bsn, []int64{channels}, bs), int32Tensor(bz, []int64{channels}, make([]int32, channels)))
		b.before[n] = append(b.before[n], &pb.NodeProto{OpType: "DequantizeLinear", Domain: msDomain, Name: bdq,
			Input: []string{bq, bsn, bz}, Output: []string{bdq}, Attribute: []*pb.AttributeProto{attrInt("axis", 0)}})
		n.Input[2] = bdq
	}
	if s.relu != nil {
		// The Relu goes; the node writes the Relu's tensor, whose range starts at zero.
		b.removed[s.relu] = true
		n.Output[0] = s.output
	}
	out := b.quantizeAct(s.output, rout)
	b.rename[s.output] = out.dq
	return nil
}

// finish rebuilds the node list in topological order with the inserted nodes, and points every
// reader of a quantized output at its dequantized copy (so the producer's only reader is its
// Q node, which ONNX Runtime's fusion requires).
func (b *builder) finish() {
	g := b.g
	var nodes []*pb.NodeProto
	emitAfter := func(t string) {
		nodes = append(nodes, b.after[t]...)
	}
	for _, in := range g.Input {
		emitAfter(in.Name)
	}
	for _, n := range g.Node {
		if b.removed[n] {
			continue
		}
		for i, in := range n.Input {
			if dq, ok := b.rename[in]; ok {
				n.Input[i] = dq
			}
		}
		nodes = append(nodes, b.before[n]...)
		nodes = append(nodes, n)
		for _, o := range n.Output {
			emitAfter(o)
		}
	}
	g.Node = nodes
	g.Initializer = append(g.Initializer, b.newInit...)
	dropUnused(g) // the float weights now quantized
}
