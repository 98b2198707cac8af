package imageio

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
)

// ErrNotRegular is returned by ReadFile for a path that is not a regular file (a device, a
// FIFO, a socket, a folder), even when it ends in .jpg: reading /dev/zero never ends and
// opening a FIFO blocks until someone writes to it.
var ErrNotRegular = errors.New("not a regular file")

// ReadFile is the one way files are read: opened without blocking (a FIFO would otherwise hang
// the open itself, deaf to signals), refused unless the opened file is regular, refused before
// reading when larger than maxBytes, and read through a reader capped at maxBytes+1 so a file
// that grows meanwhile still cannot exhaust memory. Errors name the path.
func ReadFile(path string, maxBytes int64) ([]byte, error) {
	if maxBytes <= 0 {
		maxBytes = DefaultLimits().MaxBytes
	}
	f, err := openNoBlock(path)
	if err != nil {
		return nil, err // *PathError names the path
	}
	defer f.Close()
	st, err := f.Stat() // of what was opened, so a swapped symlink cannot slip through
	if err != nil {
		return nil, err
	}
	if !st.Mode().IsRegular() {
		what := "a special file (" + st.Mode().Type().String() + ")"
		if st.IsDir() {
			what = "a directory"
		}
		return nil, fmt.Errorf("%s: %w: it is %s", path, ErrNotRegular, what)
	}
	if st.Size() > maxBytes {
		return nil, fmt.Errorf("%s: %w: %d bytes, over the limit of %d", path, ErrTooLarge, st.Size(), maxBytes)
	}
	var buf bytes.Buffer
	buf.Grow(int(st.Size()) + bytes.MinRead)
	if _, err := buf.ReadFrom(io.LimitReader(f, maxBytes+1)); err != nil {
		return nil, err
	}
	if int64(buf.Len()) > maxBytes {
		return nil, fmt.Errorf("%s: %w: grew past the limit of %d bytes while read", path, ErrTooLarge, maxBytes)
	}
	return buf.Bytes(), nil
}

// openFlags are the extra open flags of a read-only open (O_NONBLOCK where the system has it).
func openNoBlock(path string) (*os.File, error) {
	return os.OpenFile(path, os.O_RDONLY|openFlags, 0)
}
