package progress

import "errors"

// Sentinel errors the web layer maps to status codes.
var (
	// ErrNotFound: no such record (or it expired).
	ErrNotFound = errors.New("progress: not found")
	// ErrConflict: a unique value (a username) is taken.
	ErrConflict = errors.New("progress: already exists")
	// ErrReused: a refresh token was presented a second time; its family
	// has been revoked.
	ErrReused = errors.New("progress: refresh token reused")
)
