package server

import (
	"runtime"
	"time"
)

// warmRead is the warm-up's read alone: the warm-up's wall time less the model loading it
// included. An engine loaded before the warm-up (load not part of it) leaves the whole.
func warmRead(warmup, load time.Duration) time.Duration {
	if load > 0 && load < warmup {
		return warmup - load
	}
	return warmup
}

// primeAdmission starts the predicted wait from the warm-up read (slotPrior) and logs it, so
// an operator can see what the first requests of a burst were admitted against.
func (s *Server) primeAdmission(read time.Duration) {
	cores := runtime.GOMAXPROCS(0)
	perRead := s.cfg.Runtime.IntraOpThreads
	if s.cfg.Pipeline.LendIdleCores {
		// The warm-up ran alone, so every idle core was lent to it: under full load the same
		// work gets its share of the cores only.
		perRead = cores
	}
	prior := slotPrior(read, cap(s.adm.slots), perRead, cores)
	s.adm.prime(prior)
	s.log.Info("admission slot-time prior", "warmup_read", read.Round(time.Millisecond), "prior", prior.Round(time.Millisecond))
}
