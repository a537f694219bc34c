package digest

import "errors"

// Sentinel errors the store and other layers return; callers test them with
// errors.Is. The web layer maps them to HTTP statuses in one place.
var (
	ErrNotFound  = errors.New("not found")
	ErrExists    = errors.New("already exists")
	ErrInvalid   = errors.New("invalid input")
	ErrNoContent = errors.New("no articles in the window")
	// ErrStale says a write was refused because what it was based on
	// changed since (a confirm link older than an unsubscribe).
	ErrStale = errors.New("changed since")
)
