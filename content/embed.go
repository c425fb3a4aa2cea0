// Package content holds the course as data: course.yaml, the lessons, the
// interview bank, the glossary and the topic vocabulary (topics.yaml). It
// is embedded in the binary; `--content DIR` overrides it with a directory
// on disk.
package content

import "embed"

// FS is the embedded course. Its root holds course.yaml.
//
//go:embed course.yaml glossary.yaml topics.yaml lessons interview
var FS embed.FS
