//go:build !unix

package imageio

const openFlags = 0
