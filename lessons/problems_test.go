package lessons

import (
	"errors"
	"strings"
	"testing"
	"testing/fstest"
)

const goodLesson = `---
slug: %s
title: A lesson
summary: One line.
minutes: 10
level: 1
---

## First

Text.
`

// course builds a valid two-lesson course, then applies the changes
// (a nil value deletes the file).
func course(changes map[string]*string) fstest.MapFS {
	fsys := fstest.MapFS{
		"course.yaml":           {Data: []byte("title: T\nmodules:\n  - title: M\n    lessons: [alpha, beta]\n")},
		"lessons/01-alpha.md":   {Data: []byte(strings.ReplaceAll(goodLesson, "%s", "alpha"))},
		"lessons/02-beta.md":    {Data: []byte(strings.ReplaceAll(goodLesson, "%s", "beta"))},
		"interview/basics.md":   {Data: []byte("---\ntitle: Basics\n---\n\nSee [alpha](/lessons/alpha).\n")},
		"glossary.yaml":         {Data: []byte("- term: SameSite\n  definition: A cookie attribute.\n")},
		"lessons/notes.txt":     {Data: []byte("ignored: not Markdown")},
		"interview/sub/keep.md": {Data: []byte("ignored: in a sub-directory")},
	}
	for name, data := range changes {
		if data == nil {
			delete(fsys, name)
			continue
		}
		fsys[name] = &fstest.MapFile{Data: []byte(*data)}
	}
	return fsys
}

func s(v string) *string { return &v }

func lesson(slug, frontExtra, body string) *string {
	return s("---\nslug: " + slug + "\ntitle: T\nsummary: S\nminutes: 5\nlevel: 2\n" + frontExtra + "---\n" + body)
}

func TestValidCourse(t *testing.T) {
	t.Parallel()
	c, err := Load(course(nil))
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Lessons) != 2 || c.Lessons[0].Slug != "alpha" || len(c.Interview) != 1 || len(c.Glossary) != 1 {
		t.Errorf("catalog: %d lessons, %d interview pages, %d terms", len(c.Lessons), len(c.Interview), len(c.Glossary))
	}
	if ps := Check(course(nil)); len(ps) != 0 {
		t.Errorf("Check: %v", ps)
	}
}

// TestProblems checks that each kind of bad content is reported at the
// right file and line.
func TestProblems(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		changes map[string]*string
		want    string // "file:line: fragment of the message"
	}{
		{"listed slug with no file", map[string]*string{"lessons/02-beta.md": nil},
			`course.yaml:4: lesson "beta" has no file`},
		{"file not listed", map[string]*string{"lessons/03-gamma.md": lesson("gamma", "", "\nHi.\n")},
			`lessons/03-gamma.md:1: lesson "gamma" is not listed in course.yaml`},
		{"duplicate slug in course.yaml", map[string]*string{"course.yaml": s("title: T\nmodules:\n  - title: M\n    lessons: [alpha, beta]\n  - title: N\n    lessons:\n      - alpha\n")},
			`course.yaml:7: lesson "alpha" is listed twice (first at line 4)`},
		{"duplicate slug in files", map[string]*string{"lessons/03-alpha.md": lesson("alpha", "", "")},
			`lessons/03-alpha.md:1: duplicate slug "alpha"`},
		{"bad file name", map[string]*string{"lessons/Alpha Two.md": lesson("alpha", "", "")},
			`lessons/Alpha Two.md:1: a lesson file is named NN-slug.md`},
		{"course.yaml bad YAML", map[string]*string{"course.yaml": s("title: T\nmodules:\n\t- title: M\n")},
			`course.yaml:3: found character that cannot start any token`},
		{"course.yaml unknown field", map[string]*string{"course.yaml": s("title: T\nmodules:\n  - title: M\n    lessons: [alpha, beta]\n    colour: red\n")},
			`course.yaml:5: unknown field "colour"`},
		{"missing course.yaml", map[string]*string{"course.yaml": nil},
			`course.yaml:1: cannot read the course outline`},
		{"front matter unknown field", map[string]*string{"lessons/01-alpha.md": lesson("alpha", "author: me\n", "")},
			`lessons/01-alpha.md:7: unknown field "author"`},
		{"front matter bad YAML", map[string]*string{"lessons/01-alpha.md": s("---\nslug: alpha\ntitle: [unclosed\nsummary: S\n---\n")},
			`lessons/01-alpha.md:`},
		{"front matter missing title", map[string]*string{"lessons/01-alpha.md": s("---\nslug: alpha\nsummary: S\nminutes: 5\nlevel: 1\n---\n")},
			`lessons/01-alpha.md:2: front matter: missing title`},
		{"front matter wrong type", map[string]*string{"lessons/01-alpha.md": s("---\nslug: alpha\ntitle: T\nsummary: S\nminutes: ten\nlevel: 1\n---\n")},
			"lessons/01-alpha.md:5: expected a number, got text `ten`"},
		{"front matter level out of range", map[string]*string{"lessons/01-alpha.md": s("---\nslug: alpha\ntitle: T\nsummary: S\nminutes: 5\nlevel: 4\n---\n")},
			`lessons/01-alpha.md:6: front matter: level must be 1, 2 or 3`},
		{"front matter slug mismatch", map[string]*string{"lessons/01-alpha.md": lesson("gamma", "", "")},
			`lessons/01-alpha.md:2: front matter: slug "gamma" does not match`},
		{"no front matter", map[string]*string{"lessons/01-alpha.md": s("# Alpha\n\nText.\n")},
			`lessons/01-alpha.md:1: missing front matter`},
		{"unclosed front matter", map[string]*string{"lessons/01-alpha.md": s("---\nslug: alpha\n")},
			`lessons/01-alpha.md:1: missing front matter`},
		{"front matter unknown lab", map[string]*string{"lessons/01-alpha.md": lesson("alpha", "labs:\n  - twin-login\n  - time-travel\n", "")},
			`lessons/01-alpha.md:9: front matter: unknown lab "time-travel"`},
		{"lab block unknown name", map[string]*string{"lessons/01-alpha.md": lesson("alpha", "", "\n```lab\nname: nope\n```\n")},
			`lessons/01-alpha.md:10: lab: unknown lab "nope"`},
		{"lab block unknown field", map[string]*string{"lessons/01-alpha.md": lesson("alpha", "labs: [csrf]\n", "\n```lab\nname: csrf\nstep: [one]\n```\n")},
			`lessons/01-alpha.md:12: unknown field "step"`},
		{"lab block bad mode", map[string]*string{"lessons/01-alpha.md": lesson("alpha", "labs: [csrf]\n", "\n```lab\nname: csrf\nmode: both\n```\n")},
			`lessons/01-alpha.md:12: lab: unknown mode "both"`},
		{"lab block not in front matter", map[string]*string{"lessons/01-alpha.md": lesson("alpha", "", "\n```lab\nname: csrf\n```\n")},
			`lessons/01-alpha.md:9: lab "csrf" is not in the front matter's labs`},
		{"front matter lab without block", map[string]*string{"lessons/01-alpha.md": lesson("alpha", "labs: [csrf]\n", "\nText.\n")},
			`lessons/01-alpha.md:7: front matter lists lab "csrf" but no lab block uses it`},
		{"lab block in a list", map[string]*string{"lessons/01-alpha.md": lesson("alpha", "labs: [csrf]\n", "\n- step\n\n  ```lab\n  name: csrf\n  ```\n")},
			`lessons/01-alpha.md:12: a lab block must stand on its own`},
		{"sequence syntax", map[string]*string{"lessons/01-alpha.md": lesson("alpha", "", "\n```sequence\nA -> B: ok\nA => B\n```\n")},
			`lessons/01-alpha.md:11: sequence: expected`},
		{"broken lesson link", map[string]*string{"lessons/01-alpha.md": lesson("alpha", "", "\nIntro.\n\nSee [gamma](/lessons/gamma).\n")},
			`lessons/01-alpha.md:11: broken link "/lessons/gamma": no lesson with that slug`},
		{"broken anchor", map[string]*string{"lessons/01-alpha.md": lesson("alpha", "", "\nSee [beta](/lessons/beta#nowhere).\n")},
			`lessons/01-alpha.md:9: broken link "/lessons/beta#nowhere": no heading`},
		{"broken own anchor", map[string]*string{"lessons/01-alpha.md": lesson("alpha", "", "\n## Here\n\nSee [up](#there).\n")},
			`lessons/01-alpha.md:11: broken link "#there"`},
		{"broken glossary link", map[string]*string{"lessons/01-alpha.md": lesson("alpha", "", "\nA [term](/glossary#csrf).\n")},
			`lessons/01-alpha.md:9: broken link "/glossary#csrf": no glossary term`},
		{"link to a file", map[string]*string{"lessons/01-alpha.md": lesson("alpha", "", "\nSee [beta](02-beta.md).\n")},
			`lessons/01-alpha.md:9: broken link "02-beta.md"`},
		{"broken link in interview page", map[string]*string{"interview/basics.md": s("---\ntitle: B\n---\n\n[x](/lessons/nope)\n")},
			`interview/basics.md:5: broken link "/lessons/nope"`},
		{"broken link in glossary", map[string]*string{"glossary.yaml": s("- term: A\n  definition: see [b](/lessons/nope)\n")},
			`glossary.yaml:2: broken link "/lessons/nope"`},
		{"glossary duplicate id", map[string]*string{"glossary.yaml": s("- term: Same Site\n  definition: x\n- term: same-site\n  definition: y\n")},
			`glossary.yaml:3: glossary id "same-site" is used twice`},
		{"glossary unknown field", map[string]*string{"glossary.yaml": s("- term: A\n  meaning: x\n")},
			`glossary.yaml:2: unknown field "meaning"`},
		{"interview without title", map[string]*string{"interview/basics.md": s("---\ntopics: [x]\n---\n")},
			`interview/basics.md:2: front matter: missing title`},
		{"raw HTML", map[string]*string{"lessons/01-alpha.md": lesson("alpha", "", "\nSend Bearer <token> here.\n")},
			`lessons/01-alpha.md:9: raw HTML is not rendered`},
		{"CRLF line ends keep lines", map[string]*string{"lessons/01-alpha.md": s(strings.ReplaceAll(*lesson("alpha", "bogus: 1\n", ""), "\n", "\r\n"))},
			`lessons/01-alpha.md:7: unknown field "bogus"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			fsys := course(tt.changes)
			ps := Check(fsys)
			var all []string
			found := false
			for _, p := range ps {
				all = append(all, p.Error())
				if strings.HasPrefix(p.Error(), tt.want) {
					found = true
				}
				if p.Line < 1 || p.File == "" {
					t.Errorf("problem without a location: %#v", p)
				}
			}
			if !found {
				t.Errorf("want a problem starting %q, got:\n%s", tt.want, strings.Join(all, "\n"))
			}
			_, err := Load(fsys)
			var list *Problems
			if !errors.As(err, &list) || len(*list) != len(ps) || !strings.Contains(err.Error(), strings.Split(tt.want, ": ")[0]) {
				t.Errorf("Load error %v, want the same %d problems as Check", err, len(ps))
			}
		})
	}
}

func TestProblemsSortedAndComplete(t *testing.T) {
	t.Parallel()
	fsys := course(map[string]*string{
		"lessons/02-beta.md":  lesson("beta", "mood: happy\n", "\n## First\n"),
		"lessons/01-alpha.md": lesson("alpha", "colour: red\n", "\n## First\n"),
		"glossary.yaml":       s("- term: A\n"),
	})
	ps := Check(fsys)
	if len(ps) != 3 {
		t.Fatalf("want 3 problems (every one, not the first), got %v", ps)
	}
	if ps[0].File != "glossary.yaml" || ps[1].File != "lessons/01-alpha.md" || ps[2].File != "lessons/02-beta.md" {
		t.Errorf("not in file order: %v", ps)
	}
}
