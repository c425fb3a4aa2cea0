// Package ttlcache is a small bounded map whose entries are trusted for a
// fixed time after they are put: web keeps the owner of a lab request,
// looked up in the site session, for a few seconds (web/lab_owner.go). The
// caller passes the time, so tests move a clock of their own; when the
// map is full it starts over.
package ttlcache
