package progress

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"
)

func TestJoinCodes(t *testing.T) {
	t.Parallel()
	seen := map[string]bool{}
	for range 200 {
		c := NewJoinCode()
		if len(c) != JoinCodeLength || strings.Trim(c, JoinAlphabet) != "" {
			t.Fatalf("code %q has a character outside %q", c, JoinAlphabet)
		}
		seen[c] = true
	}
	if len(seen) < 195 {
		t.Errorf("only %d distinct codes in 200", len(seen))
	}
	for _, look := range "0O1IL5S2Z8B" {
		if strings.ContainsRune(JoinAlphabet, look) {
			t.Errorf("the alphabet has the ambiguous %q", look)
		}
	}
	tests := []struct {
		in, want string
		ok       bool
	}{
		{"ACD-EFG", "ACDEFG", true},
		{" acd efg ", "ACDEFG", true},
		{"ACDEF", "", false},
		{"ACDEF0", "", false},
		{"ACDEFGH", "", false},
	}
	for _, tt := range tests {
		got, ok := NormalizeJoinCode(tt.in)
		if ok != tt.ok || (ok && got != tt.want) {
			t.Errorf("NormalizeJoinCode(%q) = %q, %v", tt.in, got, ok)
		}
	}
}

func TestCleanNickname(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in, want, err string
	}{
		{"  Sam   the  Man ", "Sam the Man", ""},
		{"Zoë", "Zoë", ""},
		{"o'Neil-2_x.y", "o'Neil-2_x.y", ""},
		{"李雷", "李雷", ""},
		{"S", "", "at least 2"},
		{"   ", "", "at least 2"},
		{strings.Repeat("a", 25), "", "at most 24"},
		{"=cmd", "", "Start the nickname"},
		{"-x", "", "Start the nickname"},
		{"Sam<script>", "", "“<” is not allowed"},
		{"a\tb", "a b", ""},
	}
	for _, tt := range tests {
		got, err := CleanNickname(tt.in)
		if tt.err != "" {
			var ne *NicknameError
			if !errors.As(err, &ne) || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("CleanNickname(%q) error %v, want one saying %q", tt.in, err, tt.err)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("CleanNickname(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
		}
	}
	if NicknameKey("SaM") != NicknameKey("sam") {
		t.Error("nickname keys are case-sensitive")
	}
}

func TestRoundPoints(t *testing.T) {
	t.Parallel()
	limit := 20 * time.Second
	tests := []struct {
		score   float64
		elapsed time.Duration
		want    int
	}{
		{1, 0, 1000},
		{1, 10 * time.Second, 750},
		{1, 20 * time.Second, 500},
		{1, 30 * time.Second, 500},
		{0.5, 0, 500},
		{0, 0, 0},
		{1, -time.Second, 1000},
	}
	for _, tt := range tests {
		if got := RoundPoints(tt.score, tt.elapsed, limit); got != tt.want {
			t.Errorf("RoundPoints(%v, %v) = %d, want %d", tt.score, tt.elapsed, got, tt.want)
		}
	}
}

func TestWorkshopLifecycle(t *testing.T) {
	t.Parallel()
	for name, s := range backends(t) {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			now := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
			inst, _ := s.NewAccount(ctx, "teacher-"+name, "", "x", true)
			w := &Workshop{Title: "Auth 101", OwnerID: inst.ID, Lessons: "a b c"}
			if err := s.CreateWorkshop(ctx, w); err != nil {
				t.Fatal(err)
			}
			if _, ok := NormalizeJoinCode(w.Code); !ok {
				t.Fatalf("join code %q", w.Code)
			}
			got, err := s.WorkshopByCode(ctx, w.Code)
			if err != nil || got.ID != w.ID || strings.Join(got.LessonSlugs(), ",") != "a,b,c" {
				t.Fatalf("by code: %+v %v", got, err)
			}
			if _, err := s.WorkshopByCode(ctx, "XXXXXX"); !errors.Is(err, ErrNotFound) {
				t.Errorf("unknown code: %v", err)
			}

			g1, _ := s.NewGuest(ctx)
			g2, _ := s.NewGuest(ctx)
			p1, fresh, err := s.Join(ctx, w.ID, g1.ID, "Sam", now)
			if err != nil || !fresh {
				t.Fatalf("join: %v %v", fresh, err)
			}
			if _, _, err := s.Join(ctx, w.ID, g2.ID, "Sam", now); err != nil && !errors.Is(err, ErrConflict) {
				t.Fatal(err)
			} else if err == nil {
				t.Error("a second Sam got in")
			}
			if taken, _ := s.NicknameTaken(ctx, w.ID, "SAM"); !taken {
				t.Error("SAM is not reported taken")
			}
			again, fresh, err := s.Join(ctx, w.ID, g1.ID, "Other name", now.Add(time.Hour))
			if err != nil || fresh || again.ID != p1.ID || again.Nickname != "Sam" {
				t.Errorf("rejoin: %+v fresh=%v %v", again, fresh, err)
			}
			p2, _, err := s.Join(ctx, w.ID, g2.ID, "Kim", now)
			if err != nil {
				t.Fatal(err)
			}
			if err := s.RenameParticipant(ctx, w.ID, p2.ID, "sam"); !errors.Is(err, ErrConflict) {
				t.Errorf("rename onto a taken nickname: %v", err)
			}
			if err := s.RenameParticipant(ctx, w.ID, p2.ID, "Kimberly"); err != nil {
				t.Error(err)
			}
			if n, _ := s.CountActive(ctx, w.ID); n != 2 {
				t.Errorf("%d active", n)
			}
			if err := s.SetRemoved(ctx, w.ID, p2.ID, true); err != nil {
				t.Fatal(err)
			}
			if n, _ := s.CountActive(ctx, w.ID); n != 1 {
				t.Errorf("%d active after a removal", n)
			}
			if p, _, _ := s.Join(ctx, w.ID, g2.ID, "Kim", now); !p.Removed {
				t.Error("a removed participant rejoined with the same learner")
			}
			moved, err := s.TouchParticipant(ctx, p1, "b", "intro", now.Add(time.Minute))
			if err != nil || !moved {
				t.Errorf("touch: %v %v", moved, err)
			}
			if moved, _ := s.TouchParticipant(ctx, p1, "b", "intro", now.Add(2*time.Minute)); moved {
				t.Error("staying put counted as a move")
			}
			reread, _ := s.Participant(ctx, w.ID, p1.ID)
			if reread.Lesson != "b" || !reread.StepAt.Equal(now.Add(time.Minute)) || !reread.LastSeen.Equal(now.Add(2*time.Minute)) {
				t.Errorf("touch stored %+v", reread)
			}

			if err := s.SetLocked(ctx, w.ID, []string{"b", "c"}); err != nil {
				t.Fatal(err)
			}
			seq1, _ := s.SetFocus(ctx, w.ID, "b#intro")
			seq2, _ := s.SetFocus(ctx, w.ID, "c")
			w2, _ := s.Workshop(ctx, w.ID)
			if seq2 != seq1+1 || w2.Focus != "c" || w2.Locked != "b c" {
				t.Errorf("pacing stored %+v (seqs %d %d)", w2, seq1, seq2)
			}

			// Rounds: one open at a time, first answer counts, one closer.
			r1 := &Round{WorkshopID: w.ID, QuestionID: "q1", Seconds: 20, StartedAt: now, Deadline: now.Add(20 * time.Second)}
			if err := s.StartRound(ctx, r1); err != nil || r1.Seq != 1 {
				t.Fatalf("start: %v seq %d", err, r1.Seq)
			}
			if err := s.StartRound(ctx, &Round{WorkshopID: w.ID, QuestionID: "q2", StartedAt: now.Add(time.Second), Deadline: now.Add(time.Minute)}); !errors.Is(err, ErrConflict) {
				t.Errorf("second open round: %v", err)
			}
			a := &RoundAnswer{RoundID: r1.ID, ParticipantID: p1.ID, WorkshopID: w.ID, Answer: "k1", Score: 1, Correct: true, Points: 900, ElapsedMS: 4000, At: now.Add(4 * time.Second)}
			if _, fresh, err := s.AnswerRound(ctx, a); err != nil || !fresh {
				t.Fatalf("answer: %v %v", fresh, err)
			}
			first, fresh, err := s.AnswerRound(ctx, &RoundAnswer{RoundID: r1.ID, ParticipantID: p1.ID, WorkshopID: w.ID, Answer: "k2", At: now.Add(5 * time.Second)})
			if err != nil || fresh || first.Answer != "k1" || first.Points != 900 {
				t.Errorf("second answer: %+v fresh=%v %v", first, fresh, err)
			}
			s.AnswerRound(ctx, &RoundAnswer{RoundID: r1.ID, ParticipantID: p2.ID, WorkshopID: w.ID, Answer: "k2", At: now.Add(6 * time.Second)})
			if n, _ := s.CountRoundAnswers(ctx, r1.ID); n != 1 {
				t.Errorf("%d answers counted; the removed participant's must not count", n)
			}
			var wg sync.WaitGroup
			var closers int32
			var mu sync.Mutex
			for range 4 {
				wg.Add(1)
				go func() {
					defer wg.Done()
					if ok, err := s.CloseRound(ctx, r1.ID, now.Add(7*time.Second)); err == nil && ok {
						mu.Lock()
						closers++
						mu.Unlock()
					}
				}()
			}
			wg.Wait()
			if closers != 1 {
				t.Errorf("%d callers closed the round, want exactly 1", closers)
			}
			if ok, _ := s.RevealRound(ctx, r1.ID, now.Add(8*time.Second)); !ok {
				t.Error("reveal failed")
			}
			if ok, _ := s.RevealRound(ctx, r1.ID, now.Add(9*time.Second)); ok {
				t.Error("revealed twice")
			}
			r2 := &Round{WorkshopID: w.ID, QuestionID: "q2", Seconds: 10, StartedAt: now.Add(time.Minute), Deadline: now.Add(70 * time.Second)}
			if err := s.StartRound(ctx, r2); err != nil || r2.Seq != 2 {
				t.Fatalf("next round: %v %d", err, r2.Seq)
			}
			cur, _ := s.CurrentRound(ctx, w.ID)
			if cur.ID != r2.ID || !cur.Open(now.Add(65*time.Second)) || cur.Open(now.Add(70*time.Second)) {
				t.Errorf("current round %+v", cur)
			}
			s.AnswerRound(ctx, &RoundAnswer{RoundID: r2.ID, ParticipantID: p1.ID, WorkshopID: w.ID, Answer: "x", Points: 0, At: now.Add(61 * time.Second)})
			// Round 2 is not revealed: it must not move the standings yet,
			// or a changing score would tell the room who was right.
			st, err := s.Standings(ctx, w.ID)
			if err != nil || len(st) != 2 || st[0].ParticipantID != p1.ID || st[0].Points != 900 || st[0].Right != 1 || st[0].Answered != 1 {
				t.Errorf("standings before round 2's reveal %+v %v", st, err)
			}
			s.CloseRound(ctx, r2.ID, now.Add(70*time.Second))
			s.RevealRound(ctx, r2.ID, now.Add(71*time.Second))
			if st, err = s.Standings(ctx, w.ID); err != nil || st[0].ParticipantID != p1.ID || st[0].Answered != 2 {
				t.Errorf("standings after round 2's reveal %+v %v", st, err)
			}
			if all, _ := s.WorkshopAnswers(ctx, w.ID); len(all) != 3 {
				t.Errorf("%d answers in the workshop", len(all))
			}
			if list, _ := s.WorkshopsOf(ctx, inst.ID); len(list) != 1 {
				t.Errorf("history has %d", len(list))
			}

			if err := s.EndWorkshop(ctx, w.ID, now.Add(time.Hour)); err != nil {
				t.Fatal(err)
			}
			if err := s.EndWorkshop(ctx, w.ID, now.Add(time.Hour)); !errors.Is(err, ErrEnded) {
				t.Errorf("ending twice: %v", err)
			}
			if err := s.SetLocked(ctx, w.ID, nil); !errors.Is(err, ErrEnded) {
				t.Errorf("changing an ended workshop: %v", err)
			}
			if err := s.SetLocked(ctx, "nope", nil); !errors.Is(err, ErrNotFound) {
				t.Errorf("changing no workshop: %v", err)
			}
			if err := s.StartRound(ctx, &Round{WorkshopID: w.ID, StartedAt: now.Add(2 * time.Hour), Deadline: now.Add(3 * time.Hour)}); !errors.Is(err, ErrEnded) {
				t.Errorf("round in an ended workshop: %v", err)
			}
		})
	}
}

func TestRoomProgress(t *testing.T) {
	t.Parallel()
	for name, s := range backends(t) {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			a, _ := s.NewGuest(ctx)
			b, _ := s.NewGuest(ctx)
			s.Complete(ctx, a.ID, "intro", true)
			s.Visit(ctx, b.ID, "intro", "", 5)
			s.RecordAttempt(ctx, &Attempt{LearnerID: a.ID, QuestionID: "q1", Source: "lesson", Correct: false})
			s.RecordAttempt(ctx, &Attempt{LearnerID: a.ID, QuestionID: "q1", Source: "lesson", Correct: true, Score: 1})
			s.ReachMilestone(ctx, b.ID, "twin", "login")
			rp, err := s.RoomProgress(ctx, []string{a.ID, b.ID})
			if err != nil {
				t.Fatal(err)
			}
			if len(rp.Lessons[a.ID]) != 1 || rp.Lessons[a.ID][0].CompletedAt == nil || rp.Lessons[b.ID][0].CompletedAt != nil {
				t.Errorf("lessons %+v", rp.Lessons)
			}
			if m := rp.Quiz[a.ID]["q1"]; !m.Correct || m.Last.IsZero() {
				t.Errorf("quiz mark %+v", m)
			}
			if len(rp.Milestones[b.ID]) != 1 || len(rp.Milestones[a.ID]) != 0 {
				t.Errorf("milestones %+v", rp.Milestones)
			}
			if empty, err := s.RoomProgress(ctx, nil); err != nil || len(empty.Lessons) != 0 {
				t.Errorf("empty room: %v", err)
			}
		})
	}
}

// FuzzNickname: whatever an attendee types, CleanNickname either refuses
// it with a reason or returns a nickname within the rules, stable under
// cleaning again.
func FuzzNickname(f *testing.F) {
	for _, s := range []string{"Sam", "  Zoë  O'Neil ", "=cmd", "a\x00b", strings.Repeat("é", 30), "李雷"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		nick, err := CleanNickname(s)
		if err != nil {
			var ne *NicknameError
			if !errors.As(err, &ne) || ne.Reason == "" {
				t.Fatalf("error without a reason: %v", err)
			}
			return
		}
		if n := utf8.RuneCountInString(nick); n < NicknameMin || n > NicknameMax || strings.ContainsAny(nick[:1], "=+-@'. _") {
			t.Fatalf("CleanNickname(%q) = %q breaks the rules", s, nick)
		}
		if again, err := CleanNickname(nick); err != nil || again != nick {
			t.Fatalf("cleaning %q again gave %q, %v", nick, again, err)
		}
		if code, ok := NormalizeJoinCode(s); ok && (len(code) != JoinCodeLength || strings.Trim(code, JoinAlphabet) != "") {
			t.Fatalf("NormalizeJoinCode(%q) = %q", s, code)
		}
	})
}
