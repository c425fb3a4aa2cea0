// Package lessons turns the course's files into a Catalog: the model every
// page of the site is drawn from.
//
// Load reads an fs.FS laid out as docs/content.md describes (course.yaml,
// lessons/NN-slug.md, interview/*.md, glossary.yaml) and renders every
// page once, up front, so serving a lesson is a map lookup and a template.
// Nothing is rendered per request except what depends on the learner:
// quizzes and labs.
//
// Rendering is goldmark (GFM, heading ids, no raw HTML) with four fenced
// block kinds of our own, each handled as goldmark extensions are: a
// transformer replaces the fenced block with an AST node, a renderer writes
// the node.
//
//   - quiz: parsed by quiz.ParseBlock; written as a marker.
//   - lab: strict YAML (name, mode, steps); written as a marker.
//   - sequence: parsed and drawn to inline SVG by package sequence.
//   - curl: highlighted as bash in a <div class="curl">, and listed in
//     Lesson.Curls so a test can run each command.
//
// After rendering, the page's HTML is split at the markers into Segments:
// prose, then the quiz or lab that follows it, which the web layer renders
// for the current learner. Blockquotes that open with a bold label (Myth:,
// Fact:, Try it:, Warning:, Interview tip:) become <aside class="callout">.
// Code is highlighted by chroma with CSS classes; HighlightCSS returns the
// light and dark stylesheet, highlight.css, made from chroma's styles when
// the code is built (TestHighlightCSSIsCurrent).
//
// Load fails on bad content with *Problems: every problem found, each with
// its file and line, never just the first; Check returns the same list for
// `authlab check`. Internal links (/lessons/slug#anchor, /glossary#term,
// #anchor) are checked once every page is known.
//
// The course map is a rule over the catalog too: Catalog.Map turns a
// learner's records (their marks and visits, read by web from progress)
// and the lab goals they solved into each lesson's state, the module
// bars and the one next step; Lesson.Completed is the completion rule.
//
// A Catalog is immutable once built. In dev mode Watch polls the files and
// swaps in a new catalog when they change, keeping the last good one (and
// reporting the error) when an edit breaks the course.
package lessons
