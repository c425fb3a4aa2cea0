package lessons

import (
	"bytes"
	"errors"
	"io/fs"
	"path"
	"runtime"
	"slices"
	"strings"
	"sync"

	"github.com/authlab/authlab/quiz"
)

// Load reads course.yaml, every lessons/NN-slug.md, interview/*.md and the
// optional glossary.yaml from fsys, renders every page once and returns the
// catalog. When the content is bad the error is a *Problems listing every
// problem found, each as "file:line: message".
func Load(fsys fs.FS) (*Catalog, error) {
	cat, ps := build(fsys)
	if len(ps) > 0 {
		list := Problems(ps)
		return nil, &list
	}
	return cat, nil
}

// Check returns every problem of the course in fsys (none when it loads).
func Check(fsys fs.FS) []Problem {
	_, ps := build(fsys)
	return ps
}

// loader is the state of one build.
type loader struct {
	fsys   fs.FS
	pipe   *pipeline
	report *report
	links  map[string][]link // by file
	self   map[string]map[string]bool
}

// build loads everything it can and returns the catalog with every problem.
func build(fsys fs.FS) (*Catalog, []Problem) { return buildWith(fsys, newPipeline()) }

func buildWith(fsys fs.FS, pipe *pipeline) (*Catalog, []Problem) {
	ld := &loader{fsys: fsys, pipe: pipe, report: &report{}, links: map[string][]link{}, self: map[string]map[string]bool{}}
	cat := &Catalog{bySlug: map[string]*Lesson{}, byQuestion: map[string]*Lesson{}, byTerm: map[string]*Term{}}

	src, err := ld.read(courseFile)
	if err != nil {
		ld.report.add(courseFile, 1, "cannot read the course outline: %v", err)
		return nil, ld.report.sorted()
	}
	title, modules, slugs := readCourse(src, ld.report)
	cat.Title = title
	for i, m := range modules {
		cat.Modules = append(cat.Modules, &Module{Title: m.title, Index: i})
	}

	files := ld.lessonFiles()
	listedSlugs := map[string]bool{}
	var jobs []renderJob
	for _, s := range slugs {
		listedSlugs[s.slug] = true
		file, ok := files[s.slug]
		if !ok {
			ld.report.add(courseFile, s.line, "lesson %q has no file: expected lessons/NN-%s.md", s.slug, s.slug)
			continue
		}
		jobs = append(jobs, renderJob{file: file, slug: s.slug, module: s.module})
	}
	for slug, file := range files {
		if !listedSlugs[slug] {
			ld.report.add(file, 1, "lesson %q is not listed in course.yaml", slug)
			jobs = append(jobs, renderJob{file: file, slug: slug, module: -1}) // still report its own problems
		}
	}
	lessonJobs := len(jobs)
	jobs = append(jobs, ld.interviewJobs()...)
	ld.renderAll(jobs)
	for _, j := range jobs[lessonJobs:] {
		if j.page != nil {
			cat.Interview = append(cat.Interview, j.page)
		}
	}
	jobs = jobs[:lessonJobs]
	for _, j := range jobs {
		if j.lesson == nil || j.module < 0 {
			continue
		}
		l := j.lesson
		m := cat.Modules[j.module]
		l.Module, l.Index = m, len(cat.Lessons)
		m.Lessons = append(m.Lessons, l)
		cat.Lessons = append(cat.Lessons, l)
		cat.bySlug[l.Slug] = l
	}
	for i, l := range cat.Lessons {
		if i > 0 {
			l.Prev = cat.Lessons[i-1]
		}
		if i+1 < len(cat.Lessons) {
			l.Next = cat.Lessons[i+1]
		}
	}

	cat.Glossary = ld.glossary()
	for i := range cat.Glossary {
		cat.byTerm[cat.Glossary[i].ID] = &cat.Glossary[i]
	}
	ld.checkLinks(cat)
	titleGlossaryLinks(cat)

	var all []*quiz.Question
	for _, l := range cat.Lessons {
		for _, q := range l.Quizzes {
			all = append(all, q)
			cat.byQuestion[q.ID] = l
		}
	}
	for _, p := range cat.Interview {
		all = append(all, p.Questions...)
	}
	bank, err := quiz.NewBank(all)
	if err != nil {
		var qe *quiz.Error
		if errors.As(err, &qe) {
			ld.report.list = append(ld.report.list, Problem{File: qe.File, Line: max(qe.Line, 1), Msg: qe.Msg})
		} else {
			ld.report.add(courseFile, 1, "question bank: %v", err)
		}
	}
	cat.Bank = bank
	ld.moduleChecks(cat, modules)
	if ps := ld.report.sorted(); len(ps) > 0 {
		return nil, ps
	}
	return cat, nil
}

// read returns a file with \n line ends (from \r\n or a lone \r), so
// every line count below agrees with the author's editor.
func (ld *loader) read(name string) ([]byte, error) {
	b, err := fs.ReadFile(ld.fsys, name)
	if err != nil {
		return nil, err
	}
	return normalizeNewlines(b), nil
}

func normalizeNewlines(b []byte) []byte {
	b = bytes.ReplaceAll(b, []byte("\r\n"), []byte("\n"))
	return bytes.ReplaceAll(b, []byte("\r"), []byte("\n"))
}

// lessonFiles maps each slug to its file under lessons/.
func (ld *loader) lessonFiles() map[string]string {
	files := map[string]string{}
	entries, err := fs.ReadDir(ld.fsys, "lessons")
	if err != nil {
		ld.report.add("lessons", 1, "cannot read the lessons directory: %v", err)
		return files
	}
	for _, e := range entries {
		name := path.Join("lessons", e.Name())
		if e.IsDir() || !strings.HasSuffix(e.Name(), ".md") {
			continue
		}
		slug := slugOfFile(name)
		if slug == "" {
			ld.report.add(name, 1, "a lesson file is named NN-slug.md (digits, a hyphen, lowercase words joined by hyphens)")
			continue
		}
		if prev, dup := files[slug]; dup {
			ld.report.add(name, 1, "duplicate slug %q: %s has it too", slug, prev)
			continue
		}
		files[slug] = name
	}
	return files
}

// renderJob is one lesson or interview page to render, and what came
// of it.
type renderJob struct {
	file, slug string
	module     int  // -1: not listed in the course, checked only
	interview  bool // an interview page, not a lesson
	lesson     *Lesson
	page       *InterviewPage
	anchors    map[string]bool
	links      []link
	report     report
}

// renderAll renders the lessons and interview pages in parallel, one goldmark pipeline per
// worker (a pipeline is not shared between goroutines): rendering is
// most of the start-up time. Results are merged in course order, so the
// catalog and the problem list do not depend on scheduling.
func (ld *loader) renderAll(jobs []renderJob) {
	workers := min(runtime.GOMAXPROCS(0), len(jobs), 4)
	next := make(chan int)
	var wg sync.WaitGroup
	for w := range workers {
		pipe := ld.pipe
		if w > 0 {
			pipe = newPipelineLike(ld.pipe)
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				j := &jobs[i]
				if j.interview {
					j.page, j.links, j.anchors = ld.interviewPage(pipe, &j.report, j.file, j.slug)
				} else if j.lesson, j.links = ld.lesson(pipe, &j.report, j.file, j.slug); j.lesson != nil {
					j.anchors = j.lesson.Anchors
				}
			}
		}()
	}
	for i := range jobs {
		next <- i
	}
	close(next)
	wg.Wait()
	for _, j := range jobs {
		ld.report.addAll(j.report.list)
		if j.lesson != nil || j.page != nil {
			ld.links[j.file] = j.links
			ld.self[j.file] = j.anchors
		}
	}
}

// lesson reads, checks and renders one lesson file. It returns nil when the
// file cannot be read at all; other problems go to rep.
func (ld *loader) lesson(pipe *pipeline, rep *report, file, slug string) (*Lesson, []link) {
	src, err := ld.read(file)
	if err != nil {
		rep.add(file, 1, "cannot read: %v", err)
		return nil, nil
	}
	fm, body, bodyLine, ps := parseFrontMatter(src, file, slug)
	rep.addAll(ps)
	pg := &page{file: file, lines: newLineIndex(body, bodyLine), pipe: pipe, report: rep, idBase: slug}
	out := pg.render(body)
	ld.checkLabs(pg, fm, src)
	return &Lesson{
		Slug: slug, Title: fm.Title, Summary: fm.Summary,
		Minutes: fm.Minutes, Level: fm.Level,
		ReadingMinutes: max(1, (out.words+199)/200),
		Objectives:     fm.Objectives, Labs: fm.Labs,
		File: file, TOC: out.toc, Body: out.body,
		Quizzes: pg.quizzes, Curls: pg.curls, Anchors: out.anchors,
	}, pg.links
}

// checkLabs holds the front matter's labs and the page's lab blocks to each
// other: every block's lab is listed, and every listed lab has a block.
func (ld *loader) checkLabs(pg *page, fm frontMatter, src []byte) {
	used := map[string]bool{}
	for _, lab := range pg.labs {
		used[lab.Name] = true
		if !slices.Contains(fm.Labs, lab.Name) {
			pg.report.add(pg.file, lab.Line, "lab %q is not in the front matter's labs", lab.Name)
		}
	}
	for _, name := range fm.Labs {
		if !used[name] && slices.Contains(LabNames(), name) {
			pg.report.add(pg.file, lineOfText(src, "labs:"), "front matter lists lab %q but no lab block uses it", name)
		}
	}
}

// lineOfText is the line of the first occurrence of s in src, or 1.
func lineOfText(src []byte, s string) int {
	i := bytes.Index(src, []byte(s))
	if i < 0 {
		return 1
	}
	return bytes.Count(src[:i], []byte("\n")) + 1
}
