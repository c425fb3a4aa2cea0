// Package asset holds a site's static files in memory under content-hashed
// URLs: a Table reads every file once, names each by a hash of its bytes
// (so a URL changes whenever the file does and clients may cache it
// forever), knows its content type without the system's mime table, makes
// its gzip form on first use, and builds the page's import map for the ES
// modules that scripts import by name. It knows nothing of HTTP; web
// serves the files (web/static.go).
package asset
