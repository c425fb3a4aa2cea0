package lessons

import (
	"errors"
	"io/fs"
	"path"
	"regexp"
	"strings"
)

// interviewJobs lists interview/*.md, in file name order, as jobs for
// renderAll. The directory is optional.
func (ld *loader) interviewJobs() []renderJob {
	entries, err := fs.ReadDir(ld.fsys, "interview")
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		ld.report.add("interview", 1, "cannot read the interview directory: %v", err)
		return nil
	}
	var jobs []renderJob
	for _, e := range entries {
		if e.IsDir() || !strings.HasSuffix(e.Name(), ".md") {
			continue
		}
		jobs = append(jobs, renderJob{file: path.Join("interview", e.Name()), slug: strings.TrimSuffix(e.Name(), ".md"), interview: true})
	}
	return jobs
}

// interviewPage reads, checks and renders one interview page. It returns
// nil when the file cannot be read at all; other problems go to rep.
func (ld *loader) interviewPage(pipe *pipeline, rep *report, file, slug string) (*InterviewPage, []link, map[string]bool) {
	src, err := ld.read(file)
	if err != nil {
		rep.add(file, 1, "cannot read: %v", err)
		return nil, nil, nil
	}
	im, body, bodyLine, ps := parseInterviewMatter(src, file)
	rep.addAll(ps)
	pg := &page{file: file, lines: newLineIndex(body, bodyLine), pipe: pipe, report: rep, idBase: "iv-" + slug}
	out := pg.render(body)
	for _, q := range pg.quizzes {
		if !strings.HasPrefix(q.ID, "iv-") {
			rep.add(file, q.Line, "interview question id %q must start with \"iv-\"", q.ID)
		}
	}
	return &InterviewPage{File: file, Slug: slug, Title: im.Title, Topics: im.Topics, Body: out.body, Questions: pg.quizzes}, pg.links, out.anchors
}

const glossaryFile = "glossary.yaml"

// glossaryYAML is one entry of glossary.yaml.
type glossaryYAML struct {
	Term       string `yaml:"term"`
	ID         string `yaml:"id"`
	Definition string `yaml:"definition"`
}

var termID = regexp.MustCompile(`^[a-z0-9]+(?:-[a-z0-9]+)*$`)

// glossary loads the optional glossary.yaml.
func (ld *loader) glossary() []Term {
	src, err := ld.read(glossaryFile)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		ld.report.add(glossaryFile, 1, "cannot read: %v", err)
		return nil
	}
	var entries []glossaryYAML
	root, ps := decodeStrict(src, &entries, glossaryFile, 1)
	if len(ps) > 0 {
		ld.report.addAll(ps)
		return nil
	}
	pg := &page{file: glossaryFile, pipe: ld.pipe, report: ld.report}
	seen := map[string]int{}
	var terms []Term
	for i, e := range entries {
		line := lineAt(root, 1, 1, i)
		if strings.TrimSpace(e.Term) == "" {
			ld.report.add(glossaryFile, line, "glossary entry without a term")
			continue
		}
		id := e.ID
		if id == "" {
			id = slugify(e.Term)
		}
		if !termID.MatchString(id) {
			ld.report.add(glossaryFile, lineAt(root, 1, line, i, "id"), "glossary id %q: use lowercase words joined by hyphens", id)
			continue
		}
		if at, dup := seen[id]; dup {
			ld.report.add(glossaryFile, line, "glossary id %q is used twice (first at line %d)", id, at)
			continue
		}
		seen[id] = line
		if strings.TrimSpace(e.Definition) == "" {
			ld.report.add(glossaryFile, line, "glossary term %q has no definition", e.Term)
			continue
		}
		def := pg.renderInline(e.Definition, lineAt(root, 1, line, i, "definition"))
		terms = append(terms, Term{ID: id, Term: e.Term, Definition: def})
	}
	ld.links[glossaryFile] = pg.links
	return terms
}

// checkLinks reports every internal link whose target does not exist:
// /lessons/slug, /lessons/slug#anchor, /glossary#term and #anchor on the
// same page. External links are the author's business.
func (ld *loader) checkLinks(cat *Catalog) {
	for file, links := range ld.links {
		for _, l := range links {
			if msg := ld.brokenLink(cat, file, l.dest); msg != "" {
				ld.report.add(file, l.line, "broken link %q: %s", l.dest, msg)
			}
		}
	}
}

// brokenLink says what is wrong with dest, or "" when nothing is.
func (ld *loader) brokenLink(cat *Catalog, file, dest string) string {
	target, anchor, _ := strings.Cut(dest, "#")
	target, _, _ = strings.Cut(target, "?")
	switch {
	case target == "":
		if anchor != "" && !ld.self[file][anchor] {
			return "no heading with that id on this page"
		}
	case target == "/glossary":
		if anchor != "" && cat.byTerm[anchor] == nil {
			return "no glossary term with that id"
		}
	case strings.HasPrefix(target, "/lessons/"):
		slug := strings.TrimSuffix(strings.TrimPrefix(target, "/lessons/"), "/")
		if slug == "" {
			return ""
		}
		l, ok := cat.bySlug[slug]
		if !ok {
			return "no lesson with that slug"
		}
		if anchor != "" && !l.Anchors[anchor] {
			return "no heading with that id in " + l.File
		}
	case !strings.Contains(target, ":") && strings.HasSuffix(target, ".md"):
		return "link to the lesson's URL, /lessons/<slug>, not to its file"
	}
	return ""
}
