package main

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"sync"

	"github.com/datalid/datalid/internal/imageio"
)

// input is one path to read, or one that could not even be listed (missing, unreadable
// folder); the second kind is reported in its place and the run goes on.
type input struct {
	path string
	err  error
}

// listInputs lists the files to read: named files as given (their content decides whether
// they are images), folders searched recursively for image extensions, other files there
// skipped. A path that cannot be listed becomes an input carrying its error, so one bad
// argument or subfolder never hides the others.
func listInputs(paths []string) []input {
	var out []input
	for _, p := range paths {
		st, err := os.Stat(p)
		if err != nil {
			out = append(out, input{p, err})
			continue
		}
		if !st.IsDir() {
			out = append(out, input{path: p})
			continue
		}
		var found []input
		filepath.WalkDir(p, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				found = append(found, input{path, err})
				if d != nil && d.IsDir() {
					return fs.SkipDir
				}
				return nil
			}
			if !d.IsDir() && imageio.IsImageFile(path) {
				found = append(found, input{path: path})
			}
			return nil
		})
		sort.Slice(found, func(i, j int) bool { return found[i].path < found[j].path })
		out = append(out, found...)
	}
	return out
}

// expandPaths is listInputs for commands that need every input (bench, loadtest): the first
// bad path is an error.
func expandPaths(paths []string) ([]string, error) {
	var out []string
	for _, in := range listInputs(paths) {
		if in.err != nil {
			return nil, in.err
		}
		out = append(out, in.path)
	}
	return out, nil
}

// readLimited reads a file through imageio.ReadFile: regular files only, never blocking,
// refused before reading when larger than maxBytes.
func readLimited(path string, maxBytes int64) ([]byte, error) {
	return imageio.ReadFile(path, maxBytes)
}

// forEachOrdered runs fn on every item with n workers and hands results to emit in input
// order, as soon as each prefix is complete, so output streams while work goes on.
func forEachOrdered[R any](ctx context.Context, n, count int, fn func(ctx context.Context, i int) R, emit func(i int, r R)) {
	n = max(1, min(n, count))
	type done struct {
		i int
		r R
	}
	jobs := make(chan int)
	results := make(chan done, n)
	var wg sync.WaitGroup
	for range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range jobs {
				results <- done{i, fn(ctx, i)}
			}
		}()
	}
	go func() {
		defer close(jobs)
		for i := range count {
			select {
			case jobs <- i:
			case <-ctx.Done():
				return
			}
		}
	}()
	go func() { wg.Wait(); close(results) }()
	pending := map[int]R{}
	next := 0
	for d := range results {
		pending[d.i] = d.r
		for {
			r, ok := pending[next]
			if !ok {
				break
			}
			delete(pending, next)
			emit(next, r)
			next++
		}
	}
}

// resolveWorkers picks the parallelism: the flag when set, else the config, else all cores.
func resolveWorkers(flag, configured int) int {
	if flag > 0 {
		return flag
	}
	if configured > 0 {
		return configured
	}
	return runtime.GOMAXPROCS(0)
}
