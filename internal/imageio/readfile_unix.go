//go:build unix

package imageio

import "syscall"

// O_NONBLOCK makes opening a FIFO return at once; on a regular file it changes nothing.
const openFlags = syscall.O_NONBLOCK
