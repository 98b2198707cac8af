package memtrim

import "testing"

// An operator's own malloc tunables win over TuneAllocator's thresholds; anything else in the
// environment leaves them to it.
func TestOperatorTunablesWin(t *testing.T) {
	cases := []struct {
		env  []string
		want bool
	}{
		{nil, false},
		{[]string{"PATH=/bin", "GLIBC_TUNABLES=glibc.rtld.nns=2"}, false},
		{[]string{"GLIBC_TUNABLES=glibc.malloc.trim_threshold=0"}, true},
		{[]string{"MALLOC_MMAP_THRESHOLD_=65536"}, true},
		{[]string{"MALLOC_TRIM_THRESHOLD_=0"}, true},
		{[]string{"MALLOC_ARENA_MAX=2"}, false}, // arenas, not thresholds
	}
	for _, c := range cases {
		if got := operatorTuned(c.env); got != c.want {
			t.Errorf("operatorTuned(%q) = %v, want %v", c.env, got, c.want)
		}
	}
}
