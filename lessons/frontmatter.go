package lessons

import (
	"bytes"
	"slices"
	"strings"
)

// frontMatter is a lesson's YAML header (docs/content.md, "Lesson front matter").
type frontMatter struct {
	Slug       string   `yaml:"slug"`
	Title      string   `yaml:"title"`
	Summary    string   `yaml:"summary"`
	Minutes    int      `yaml:"minutes"`
	Level      int      `yaml:"level"`
	Objectives []string `yaml:"objectives"`
	Labs       []string `yaml:"labs"`
}

// interviewMatter is an interview page's YAML header.
type interviewMatter struct {
	Title  string   `yaml:"title"`
	Topics []string `yaml:"topics"`
}

// splitFrontMatter separates the YAML header, between two `---` lines at
// the very top, from the Markdown body. yamlLine is the file line of the
// header's first YAML line and bodyLine that of the body's first line.
// src must already use \n line ends.
func splitFrontMatter(src []byte) (fm []byte, yamlLine int, body []byte, bodyLine int, ok bool) {
	src = bytes.TrimPrefix(src, []byte("\ufeff"))
	first, rest, found := bytes.Cut(src, []byte("\n"))
	if !found || string(bytes.TrimRight(first, " \t")) != "---" {
		return nil, 0, src, 1, false
	}
	line := 2
	for off := 0; off <= len(rest); {
		end := bytes.IndexByte(rest[off:], '\n')
		next := len(rest)
		if end >= 0 {
			next = off + end
		}
		if string(bytes.TrimRight(rest[off:next], " \t")) == "---" {
			body := rest[min(next+1, len(rest)):]
			return rest[:off], 2, body, line + 1, true
		}
		if end < 0 {
			break
		}
		off = next + 1
		line++
	}
	return nil, 0, src, 1, false
}

// parseFrontMatter reads and validates a lesson's header. file is the
// lesson's path and fileSlug the slug its name gives.
func parseFrontMatter(src []byte, file, fileSlug string) (frontMatter, []byte, int, []Problem) {
	var fm frontMatter
	raw, first, body, bodyLine, ok := splitFrontMatter(src)
	if !ok {
		return fm, body, bodyLine, []Problem{{File: file, Line: 1, Msg: "missing front matter: the file must start with a `---` line, the YAML header, and a closing `---` line"}}
	}
	root, ps := decodeStrict(raw, &fm, file, first)
	if len(ps) > 0 {
		return fm, body, bodyLine, ps
	}
	var r report
	at := func(key string) int { return lineAt(root, first, first, key) }
	required := func(key, value string) {
		if strings.TrimSpace(value) == "" {
			r.add(file, at(key), "front matter: missing %s", key)
		}
	}
	required("slug", fm.Slug)
	required("title", fm.Title)
	required("summary", fm.Summary)
	if fm.Slug != "" && fm.Slug != fileSlug {
		r.add(file, at("slug"), "front matter: slug %q does not match the file name (want %q)", fm.Slug, fileSlug)
	}
	if fm.Minutes <= 0 {
		r.add(file, at("minutes"), "front matter: minutes must be a positive number")
	}
	if fm.Level < 1 || fm.Level > 3 {
		r.add(file, at("level"), "front matter: level must be 1, 2 or 3, got %d", fm.Level)
	}
	for i, o := range fm.Objectives {
		if strings.TrimSpace(o) == "" {
			r.add(file, lineAt(root, first, first, "objectives", i), "front matter: empty objective")
		}
	}
	for i, name := range fm.Labs {
		if !slices.Contains(LabNames(), name) {
			r.add(file, lineAt(root, first, first, "labs", i), "front matter: unknown lab %q (labs: %s)", name, strings.Join(LabNames(), ", "))
		}
	}
	return fm, body, bodyLine, r.list
}

// parseInterviewMatter reads an interview page's header.
func parseInterviewMatter(src []byte, file string) (interviewMatter, []byte, int, []Problem) {
	var im interviewMatter
	raw, first, body, bodyLine, ok := splitFrontMatter(src)
	if !ok {
		return im, body, bodyLine, []Problem{{File: file, Line: 1, Msg: "missing front matter: the page must start with `---`, `title: …`, `---`"}}
	}
	root, ps := decodeStrict(raw, &im, file, first)
	if len(ps) == 0 && strings.TrimSpace(im.Title) == "" {
		ps = append(ps, Problem{File: file, Line: lineAt(root, first, first, "title"), Msg: "front matter: missing title"})
	}
	return im, body, bodyLine, ps
}

// lineIndex maps byte offsets of a text to 1-based line numbers.
type lineIndex struct {
	starts []int // offset of each line's first byte
	base   int   // file line of the text's first line
}

func newLineIndex(src []byte, base int) lineIndex {
	starts := make([]int, 1, bytes.Count(src, []byte("\n"))+1)
	for i, c := range src {
		if c == '\n' {
			starts = append(starts, i+1)
		}
	}
	return lineIndex{starts: starts, base: base}
}

// line is the file line holding byte offset off.
func (x lineIndex) line(off int) int {
	i, found := slices.BinarySearch(x.starts, off)
	if !found {
		i--
	}
	return x.base + max(i, 0)
}
