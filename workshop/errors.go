package workshop

import "fmt"

// Kind is why a request was refused; the HTTP layer maps each to a
// status.
type Kind int

// The kinds of refusal.
const (
	Invalid   Kind = iota + 1 // the request does not fit: a field out of range, a lesson not in the workshop
	NotFound                  // no such workshop, round or attendee
	Forbidden                 // not the caller's to see or do
	Conflict                  // the room's state does not allow it now
	Gone                      // the workshop has ended and takes no one new
)

// Error is a request the rules refuse. Msg is a sentence for the person
// who made it, to show as is.
type Error struct {
	Kind Kind
	Msg  string
}

func (e *Error) Error() string { return "workshop: " + e.Msg }

func refuse(k Kind, msg string) *Error { return &Error{Kind: k, Msg: msg} }

func refusef(k Kind, format string, args ...any) *Error {
	return &Error{Kind: k, Msg: fmt.Sprintf(format, args...)}
}

// String is for logs and errors.
func (k Kind) String() string {
	switch k {
	case Invalid:
		return "invalid"
	case NotFound:
		return "not found"
	case Forbidden:
		return "forbidden"
	case Conflict:
		return "conflict"
	case Gone:
		return "gone"
	}
	return fmt.Sprintf("Kind(%d)", int(k))
}
