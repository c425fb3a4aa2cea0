package web

import (
	"strings"

	"github.com/authlab/authlab/lessons"
	"github.com/authlab/authlab/sandbox"
)

// labCardKey is the key of a lesson's lab card for its personal part:
// the lab's name, then the milestones the card's own steps check, space
// separated (milestone IDs have no spaces). The part counts the card's
// steps, not the lab's: a lab's steps are spread over several lessons,
// and a card lists only this lesson's.
func labCardKey(b *lessons.LabBlock) string {
	return strings.Join(append([]string{b.Name}, b.Checks()...), " ")
}

// labCard is what a lab card shows the viewer about their progress.
type labCard struct {
	Name   string
	Lab    sandbox.Progress // the whole lab, over every lesson
	Checks int              // steps of this card the lab checks
	Done   int              // of those, done
	// DoneIDs are the done milestones of this card, space separated:
	// quiz.js ticks their hints.
	DoneIDs string
}

// LabCard reads a card's key (labCardKey) against the viewer's progress.
func (p lessonPage) LabCard(key string) labCard {
	name, checks, _ := strings.Cut(key, " ")
	c := labCard{Name: name, Lab: p.Labs[name]}
	var done []string
	for _, id := range strings.Fields(checks) {
		c.Checks++
		if c.Lab.Steps[id] {
			c.Done++
			done = append(done, id)
		}
	}
	c.DoneIDs = strings.Join(done, " ")
	return c
}
