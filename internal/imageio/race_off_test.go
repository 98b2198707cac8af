//go:build !race

package imageio

const raceOn = false
