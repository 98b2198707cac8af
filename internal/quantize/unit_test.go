package quantize

import (
	"testing"

	pb "github.com/datalid/datalid/internal/quantize/onnxpb"
)

func TestActParams(t *testing.T) {
	cases := []struct {
		r     Range
		scale float32
		zp    uint8
	}{
		{Range{0, 2.55}, 0.01, 0},
		{Range{-1.275, 1.275}, 0.01, 128},
		{Range{0.5, 2.55}, 0.01, 0}, // zero is always representable
		{Range{-2.55, -1}, 0.01, 255},
		{Range{0, 0}, 1, 0},
	}
	for _, c := range cases {
		s, z := actParams(c.r)
		if d := s - c.scale; d > 1e-6 || d < -1e-6 || z != c.zp {
			t.Errorf("actParams(%v) = %g, %d; want %g, %d", c.r, s, z, c.scale, c.zp)
		}
	}
}

func TestMetrics(t *testing.T) {
	ref := []float32{0.9, 0.1, 0.2, 0.8, 0.6, 0.4}
	got := []float32{0.9, 0.1, 0.7, 0.3, 0.6, 0.4}
	if d := ArgmaxMetric(ref, got, 2); d < 0.33 || d > 0.34 {
		t.Errorf("argmax disagreement %g, want 1/3", d)
	}
	if d := ProbMapMetric(0.3)(ref, got, 0); d != 2.0/6 {
		t.Errorf("prob-map disagreement %g, want 2/6", d)
	}
}

func TestRaiseOpsetRewritesSlice(t *testing.T) {
	m := &pb.ModelProto{OpsetImport: []*pb.OperatorSetIdProto{{Version: 9}}, Graph: &pb.GraphProto{Node: []*pb.NodeProto{
		{OpType: "Slice", Input: []string{"x"}, Output: []string{"y"}, Attribute: []*pb.AttributeProto{
			{Name: "starts", Type: pb.AttributeProto_INTS, Ints: []int64{1}},
			{Name: "ends", Type: pb.AttributeProto_INTS, Ints: []int64{3}},
			{Name: "axes", Type: pb.AttributeProto_INTS, Ints: []int64{2}}}},
	}}}
	if err := raiseOpset(m); err != nil {
		t.Fatal(err)
	}
	n := m.Graph.Node[0]
	if m.OpsetImport[0].Version != minOpset || len(n.Input) != 4 || len(n.Attribute) != 0 || len(m.Graph.Initializer) != 3 {
		t.Fatalf("got opset %d, node %v, %d initializers", m.OpsetImport[0].Version, n, len(m.Graph.Initializer))
	}
	bad := &pb.ModelProto{OpsetImport: []*pb.OperatorSetIdProto{{Version: 9}}, Graph: &pb.GraphProto{Node: []*pb.NodeProto{{OpType: "Upsample"}}}}
	if err := raiseOpset(bad); err == nil {
		t.Error("an op whose meaning changed at opset 10 was accepted")
	}
}
