package workshop

import (
	"testing"

	"github.com/authlab/authlab/progress"
)

func TestRank(t *testing.T) {
	t.Parallel()
	roster := func(nicks ...string) []progress.Participant {
		var out []progress.Participant
		for _, n := range nicks {
			out = append(out, progress.Participant{ID: n, Nickname: "nick-" + n})
		}
		return out
	}
	type line struct {
		id                  string
		rank, points, right int
	}
	for _, tt := range []struct {
		name   string
		parts  []progress.Participant
		totals []progress.Standing
		want   []line
	}{
		{name: "nobody", want: nil},
		{name: "no round revealed yet: everyone first, together", parts: roster("a", "b", "c"),
			want: []line{{"a", 1, 0, 0}, {"b", 1, 0, 0}, {"c", 1, 0, 0}}},
		{name: "points first", parts: roster("a", "b"),
			totals: []progress.Standing{{ParticipantID: "b", Points: 900, Right: 1, Answered: 1}, {ParticipantID: "a", Points: 500, Right: 1, Answered: 1}},
			want:   []line{{"b", 1, 900, 1}, {"a", 2, 500, 1}}},
		{name: "equal points and right answers share a rank, the next rank skips", parts: roster("a", "b", "c", "d"),
			totals: []progress.Standing{{ParticipantID: "a", Points: 800, Right: 1}, {ParticipantID: "b", Points: 800, Right: 1}, {ParticipantID: "c", Points: 300, Right: 1}},
			want:   []line{{"a", 1, 800, 1}, {"b", 1, 800, 1}, {"c", 3, 300, 1}, {"d", 4, 0, 0}}},
		{name: "equal points, more right answers first", parts: roster("a", "b"),
			totals: []progress.Standing{{ParticipantID: "a", Points: 1000, Right: 1}, {ParticipantID: "b", Points: 1000, Right: 2}},
			want:   []line{{"b", 1, 1000, 2}, {"a", 2, 1000, 1}}},
		{name: "a wrong answer ties with no answer", parts: roster("a", "b", "c"),
			totals: []progress.Standing{{ParticipantID: "a", Points: 700, Right: 1, Answered: 1}, {ParticipantID: "b", Answered: 1}},
			want:   []line{{"a", 1, 700, 1}, {"b", 2, 0, 0}, {"c", 2, 0, 0}}},
		{name: "removed attendees are off the board", parts: append(roster("a"), progress.Participant{ID: "gone", Nickname: "Gone", Removed: true}),
			totals: []progress.Standing{{ParticipantID: "gone", Points: 1000, Right: 1}, {ParticipantID: "a", Points: 10, Right: 1}},
			want:   []line{{"a", 1, 10, 1}}},
		{name: "totals of someone not on the roster are ignored", parts: roster("a"),
			totals: []progress.Standing{{ParticipantID: "stranger", Points: 1000}},
			want:   []line{{"a", 1, 0, 0}}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got := Rank(tt.parts, tt.totals)
			if len(got) != len(tt.want) {
				t.Fatalf("%d lines, want %d: %+v", len(got), len(tt.want), got)
			}
			for i, w := range tt.want {
				g := got[i]
				if g.ID != w.id || g.Rank != w.rank || g.Points != w.points || g.Right != w.right || g.Nickname != "nick-"+w.id {
					t.Errorf("line %d: %+v, want %+v", i, g, w)
				}
			}
		})
	}
}

func TestTop(t *testing.T) {
	t.Parallel()
	board := Rank([]progress.Participant{{ID: "a"}, {ID: "b"}, {ID: "c"}}, nil)
	if len(Top(board, 2)) != 2 || len(Top(board, 10)) != 3 || len(Top(nil, 3)) != 0 {
		t.Error("Top does not cut at n")
	}
}

func TestRevealMine(t *testing.T) {
	t.Parallel()
	board := []Standing{{ID: "a", Rank: 1, Points: 900, Right: 1}, {ID: "b", Rank: 2}}
	answers := []progress.RoundAnswer{
		{ParticipantID: "a", Points: 900, Correct: true},
		{ParticipantID: "b", Points: 0, Correct: false},
		{ParticipantID: "removed", Points: 800, Correct: true},
	}
	mine := revealMine(board, answers)
	if m := mine["a"]; m != (RevealMine{Rank: 1, Points: 900, Right: 1, Round: 900, Correct: true, Answered: true}) {
		t.Errorf("a: %+v", m)
	}
	if m := mine["b"]; m != (RevealMine{Rank: 2, Answered: true}) {
		t.Errorf("b: %+v", m)
	}
	// A removed attendee still hears their own result, with no place.
	if m := mine["removed"]; m.Rank != 0 || m.Round != 800 || !m.Answered {
		t.Errorf("removed: %+v", m)
	}
	if len(revealMine(board, nil)) != 2 {
		t.Error("someone with no answer has no line")
	}
}
