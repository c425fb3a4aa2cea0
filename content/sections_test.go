package content_test

import (
	"html"
	"regexp"
	"strings"
	"testing"

	"github.com/authlab/authlab/lessons"
)

// Checks for understanding sit right after the section they test
// (issue 19): retrieval while the section is fresh, not a pile of
// questions at the end. In every lesson at least 60% of the `##`
// sections before Summary and Sources are followed by a quiz, and the
// lesson still ends with a short check of its own.

// checkShare is the smallest share of a lesson's teaching sections that
// must hold a quiz.
const checkShare = 0.6

// endCheckWords is the most prose a closing check section may hold (a
// line of instructions); a section with more is a teaching section.
const endCheckWords = 40

// section is one `##` section of a rendered lesson.
type section struct {
	id, title string
	quizzes   int // quiz blocks between this heading and the next `##`
	words     int // prose words, headings and quiz or lab blocks left out
}

var (
	h2Re  = regexp.MustCompile(`(?s)<h2 id="([^"]+)"[^>]*>(.*?)</h2>`)
	tagRe = regexp.MustCompile(`(?s)<[^>]*>`)
)

func proseWords(h string) int {
	return len(strings.Fields(html.UnescapeString(tagRe.ReplaceAllString(h, " "))))
}

// sections splits a lesson at its `##` headings and counts, for each,
// the quiz blocks and prose words it holds (its `###` subsections
// included). Sections from Summary on are left out.
func sections(l *lessons.Lesson) []section {
	var out []section
	add := func(h string) {
		if len(out) > 0 {
			out[len(out)-1].words += proseWords(h)
		}
	}
	for _, seg := range l.Body {
		h := string(seg.HTML)
		prev := 0
		for _, m := range h2Re.FindAllStringSubmatchIndex(h, -1) {
			add(h[prev:m[0]])
			out = append(out, section{id: h[m[2]:m[3]], title: strings.TrimSpace(html.UnescapeString(tagRe.ReplaceAllString(h[m[4]:m[5]], "")))})
			prev = m[1]
		}
		add(h[prev:])
		if seg.Quiz != nil && len(out) > 0 {
			out[len(out)-1].quizzes++
		}
	}
	for i, s := range out {
		if s.id == "summary" || s.id == "sources" {
			return out[:i]
		}
	}
	return out
}

// isEndCheck: a section made of quizzes and at most a line of prose.
func (s section) isEndCheck() bool { return s.quizzes > 0 && s.words <= endCheckWords }

func TestChecksFollowSections(t *testing.T) {
	cat := load(t)
	for _, l := range cat.Lessons {
		secs := sections(l)
		if len(secs) == 0 {
			t.Errorf("%s: no ## sections before Summary", l.File)
			continue
		}
		last := secs[len(secs)-1]
		if !last.isEndCheck() {
			t.Errorf("%s: the last section before Summary, %q, is not a short end-of-lesson check (quizzes and at most %d words of prose; it has %d quizzes, %d words)", l.File, last.title, endCheckWords, last.quizzes, last.words)
		} else if last.quizzes > 4 {
			t.Errorf("%s: the end-of-lesson check %q holds %d quizzes; keep it short (at most 4) and move the rest after the sections they test", l.File, last.title, last.quizzes)
		}
		var teaching, checked []string
		var unchecked []string
		for _, s := range secs {
			if s.isEndCheck() {
				continue
			}
			teaching = append(teaching, s.title)
			if s.quizzes > 0 {
				checked = append(checked, s.title)
			} else {
				unchecked = append(unchecked, s.title)
			}
		}
		if len(teaching) == 0 {
			t.Errorf("%s: no teaching sections", l.File)
			continue
		}
		if share := float64(len(checked)) / float64(len(teaching)); share < checkShare {
			t.Errorf("%s: %d of %d sections are followed by a check (%.0f%%, want at least %.0f%%); sections without one: %q", l.File, len(checked), len(teaching), 100*share, 100*checkShare, unchecked)
		}
	}
}

// The section splitter itself, on the shipped course: every quiz of a
// lesson lands in exactly one section before Summary, and no section is
// counted twice.
func TestSectionSplitter(t *testing.T) {
	cat := load(t)
	if len(cat.Lessons) == 0 {
		t.Fatal("no lessons")
	}
	for _, l := range cat.Lessons {
		secs := sections(l)
		seen := map[string]bool{}
		for _, s := range secs {
			if seen[s.id] {
				t.Errorf("%s: section %q counted twice", l.File, s.id)
			}
			seen[s.id] = true
			if s.id == "summary" || s.id == "sources" {
				t.Errorf("%s: %q counted as a section to check", l.File, s.id)
			}
		}
		total := 0
		for _, s := range secs {
			total += s.quizzes
		}
		if total != len(l.Quizzes) {
			t.Errorf("%s: the splitter placed %d quizzes, the lesson has %d (a quiz after Summary, or before the first heading?)", l.File, total, len(l.Quizzes))
		}
	}
}
