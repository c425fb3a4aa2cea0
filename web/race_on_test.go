//go:build race

package web

// raceEnabled: the race detector multiplies memory use (shadow memory),
// so memory limits are not checked under it.
const raceEnabled = true
