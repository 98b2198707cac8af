package main

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"sync"

	"github.com/datalid/datalid/internal/imageio"
)

// expandPaths lists the files to read: named files as given (their content decides whether they
// are images), folders searched recursively for image extensions, other files there skipped.
func expandPaths(paths []string) ([]string, error) {
	var out []string
	for _, p := range paths {
		st, err := os.Stat(p)
		if err != nil {
			return nil, err
		}
		if !st.IsDir() {
			out = append(out, p)
			continue
		}
		var found []string
		err = filepath.WalkDir(p, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if !d.IsDir() && imageio.IsImageFile(path) {
				found = append(found, path)
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
		sort.Strings(found)
		out = append(out, found...)
	}
	return out, nil
}

// readLimited reads a file, refusing it before reading when it is larger than maxBytes.
func readLimited(path string, maxBytes int64) ([]byte, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if maxBytes > 0 && st.Size() > maxBytes {
		return nil, fmt.Errorf("%w: file is %d bytes, limit %d", imageio.ErrTooLarge, st.Size(), maxBytes)
	}
	return os.ReadFile(path)
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
