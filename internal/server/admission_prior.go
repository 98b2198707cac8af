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
	prior := slotPrior(read, cap(s.adm.slots), s.cfg.Runtime.IntraOpThreads, runtime.GOMAXPROCS(0))
	s.adm.prime(prior)
	s.log.Info("admission slot-time prior", "warmup_read", read.Round(time.Millisecond), "prior", prior.Round(time.Millisecond))
}
