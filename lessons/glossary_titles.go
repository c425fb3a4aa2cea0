package lessons

import (
	"html"
	"html/template"
	"regexp"
	"strings"
)

// glossaryLink is a link to a glossary term as goldmark writes it from
// [text](/glossary#id) with no title of its own.
var glossaryLink = regexp.MustCompile(`<a href="/glossary#([a-z0-9-]+)">`)

// markup is any tag in rendered HTML.
var markup = regexp.MustCompile(`<[^>]*>`)

// PlainText is rendered Markdown as text on one line, for places that
// cannot hold markup: an attribute, an <option> label.
func PlainText(h template.HTML) string {
	return strings.Join(strings.Fields(html.UnescapeString(markup.ReplaceAllString(string(h), ""))), " ")
}

// titleGlossaryLinks gives every link to a glossary term in the lessons
// the term's definition as its title: the tooltip a reader gets on
// hovering a term (and a screen reader's description of the link), so
// the definition is one glance away without leaving the lesson. The
// link still leads to the glossary, where a tap on a phone goes.
func titleGlossaryLinks(cat *Catalog) {
	titles := make(map[string]string, len(cat.Glossary))
	for _, t := range cat.Glossary {
		titles[t.ID] = html.EscapeString(t.Term + ": " + PlainText(t.Definition))
	}
	title := func(a string) string {
		id := glossaryLink.FindStringSubmatch(a)[1]
		if t, ok := titles[id]; ok {
			return a[:len(a)-1] + ` title="` + t + `">`
		}
		return a // a broken link, which Load reports
	}
	for _, l := range cat.Lessons {
		for i := range l.Body {
			if h := string(l.Body[i].HTML); strings.Contains(h, `href="/glossary#`) {
				l.Body[i].HTML = template.HTML(glossaryLink.ReplaceAllStringFunc(h, title))
			}
		}
	}
}
