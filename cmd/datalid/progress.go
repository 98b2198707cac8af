package main

import (
	"os"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"
)

// progress is a stderr bar shown only for more than a few files on a terminal, so piped
// output and CI logs stay clean.
type progress struct{ bar *progressbar.ProgressBar }

const progressMinFiles = 4

func newProgress(n int, what string) progress {
	if n < progressMinFiles || !term.IsTerminal(int(os.Stderr.Fd())) {
		return progress{}
	}
	return progress{bar: progressbar.NewOptions(n,
		progressbar.OptionSetWriter(os.Stderr),
		progressbar.OptionSetDescription(what),
		progressbar.OptionShowCount(),
		progressbar.OptionShowIts(),
		progressbar.OptionSetItsString("img"),
		progressbar.OptionClearOnFinish(),
	)}
}

func (p progress) Add(n int) {
	if p.bar != nil {
		p.bar.Add(n)
	}
}

func (p progress) Clear() {
	if p.bar != nil {
		p.bar.Clear()
	}
}

func (p progress) Finish() {
	if p.bar != nil {
		p.bar.Finish()
	}
}
