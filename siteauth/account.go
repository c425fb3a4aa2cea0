package siteauth

import (
	"errors"
	"net/mail"
	"regexp"
)

// The rules for a new account, the same on the sign-up form and for
// `authlab user add`. Each Check explains what is wrong, in words a
// person can act on, or returns nil.

var usernameRe = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_.-]{2,31}$`)

// CheckUsername: 3 to 32 characters of a small, unambiguous set, so a
// name reads the same in a URL, a log line and a CSV column.
func CheckUsername(name string) error {
	if !usernameRe.MatchString(name) {
		return errors.New("use 3 to 32 letters, digits, dots, dashes or underscores, starting with a letter or digit")
	}
	return nil
}

// CheckEmail: an optional address (empty is fine) that is one plain
// address as written, at most 254 characters (RFC 5321's path limit).
func CheckEmail(email string) error {
	if email == "" {
		return nil
	}
	if a, err := mail.ParseAddress(email); err != nil || a.Address != email || len(email) > 254 {
		return errors.New("that does not look like an email address; leave it empty if you prefer")
	}
	return nil
}
