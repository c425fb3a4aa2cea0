package workshop

import (
	"slices"
	"strconv"
	"strings"
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
		{name: "no round revealed yet: nobody has a place, nobody is #1 with 0 points", parts: roster("a", "b", "c"),
			want: []line{{"a", 0, 0, 0}, {"b", 0, 0, 0}, {"c", 0, 0, 0}}},
		{name: "points first", parts: roster("a", "b"),
			totals: []progress.Standing{{ParticipantID: "b", Points: 900, Right: 1, Answered: 1}, {ParticipantID: "a", Points: 500, Right: 1, Answered: 1}},
			want:   []line{{"b", 1, 900, 1}, {"a", 2, 500, 1}}},
		{name: "equal points and right answers share a rank, the next rank skips", parts: roster("a", "b", "c", "d"),
			totals: []progress.Standing{{ParticipantID: "a", Points: 800, Right: 1}, {ParticipantID: "b", Points: 800, Right: 1}, {ParticipantID: "c", Points: 300, Right: 1}},
			want:   []line{{"a", 1, 800, 1}, {"b", 1, 800, 1}, {"c", 3, 300, 1}, {"d", 0, 0, 0}}},
		{name: "equal points, more right answers first", parts: roster("a", "b"),
			totals: []progress.Standing{{ParticipantID: "a", Points: 1000, Right: 1}, {ParticipantID: "b", Points: 1000, Right: 2}},
			want:   []line{{"b", 1, 1000, 2}, {"a", 2, 1000, 1}}},
		{name: "a wrong answer ties with no answer", parts: roster("a", "b", "c"),
			totals: []progress.Standing{{ParticipantID: "a", Points: 700, Right: 1, Answered: 1}, {ParticipantID: "b", Answered: 1}},
			want:   []line{{"a", 1, 700, 1}, {"b", 0, 0, 0}, {"c", 0, 0, 0}}},
		{name: "removed attendees are off the board", parts: append(roster("a"), progress.Participant{ID: "gone", Nickname: "Gone", Removed: true}),
			totals: []progress.Standing{{ParticipantID: "gone", Points: 1000, Right: 1}, {ParticipantID: "a", Points: 10, Right: 1}},
			want:   []line{{"a", 1, 10, 1}}},
		{name: "totals of someone not on the roster are ignored", parts: roster("a"),
			totals: []progress.Standing{{ParticipantID: "stranger", Points: 1000}},
			want:   []line{{"a", 0, 0, 0}}},
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

func TestTied(t *testing.T) {
	t.Parallel()
	board := Rank([]progress.Participant{{ID: "a"}, {ID: "b"}, {ID: "c"}, {ID: "d"}}, []progress.Standing{
		{ParticipantID: "a", Points: 800, Right: 1}, {ParticipantID: "b", Points: 800, Right: 1}, {ParticipantID: "c", Points: 300, Right: 1}})
	var tied []bool
	for _, st := range board {
		tied = append(tied, st.Tied)
	}
	if !slices.Equal(tied, []bool{true, true, false, false}) {
		t.Errorf("tied %v", tied)
	}
}

// TestPodium: places 1 to 3, ties share a place and all stand on it,
// and nobody without a point is on the podium.
func TestPodium(t *testing.T) {
	t.Parallel()
	std := func(pts ...int) []progress.Standing {
		var out []progress.Standing
		for i, p := range pts {
			out = append(out, progress.Standing{ParticipantID: string(rune('a' + i)), Points: p, Right: min(p, 1)})
		}
		return out
	}
	roster := []progress.Participant{{ID: "a"}, {ID: "b"}, {ID: "c"}, {ID: "d"}, {ID: "e"}}
	for _, tt := range []struct {
		name   string
		totals []progress.Standing
		want   string // id:rank, in order
	}{
		{"nobody scored: an empty podium", nil, ""},
		{"everyone answered wrong: an empty podium", std(0, 0, 0), ""},
		{"one scorer stands alone", std(500, 0, 0), "a:1"},
		{"the top three", std(900, 800, 700, 600), "a:1 b:2 c:3"},
		{"a tie for second: both stand, third place is gone", std(900, 800, 800, 700), "a:1 b:2 c:2"},
		{"a tie for third: both stand", std(900, 800, 700, 700, 100), "a:1 b:2 c:3 d:3"},
		{"a three-way tie for first", std(500, 500, 500, 400), "a:1 b:1 c:1"},
		{"a tie for first, then third", std(500, 500, 400, 300), "a:1 b:1 c:3"},
	} {
		var got []string
		for _, st := range Podium(Rank(roster, tt.totals)) {
			got = append(got, st.ID+":"+strconv.Itoa(st.Rank))
		}
		if strings.Join(got, " ") != tt.want {
			t.Errorf("%s: %q, want %q", tt.name, strings.Join(got, " "), tt.want)
		}
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
