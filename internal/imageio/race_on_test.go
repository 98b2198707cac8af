//go:build race

package imageio

// raceOn: the race detector slows pure-Go inflation ~20×.
const raceOn = true
