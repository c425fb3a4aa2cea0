package progress

import (
	"crypto/rand"
	"errors"
	"fmt"
	"math"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// ErrEnded: the workshop has ended and is read-only.
var ErrEnded = errors.New("progress: workshop has ended")

// Workshop is one live run of the course.
type Workshop struct {
	ID       string `gorm:"primaryKey;size:32"`
	Code     string `gorm:"uniqueIndex;size:12"` // the join code, see JoinAlphabet
	Title    string `gorm:"size:120"`
	OwnerID  string `gorm:"index;size:32"`
	Lessons  string // slugs of the workshop's lessons, space-separated, in course order
	Locked   string // slugs locked for the room, space-separated
	Queue    string // question ids still to run as rounds, space-separated
	Focus    string `gorm:"size:200"` // the last "bring everyone here" target: slug or slug#anchor
	FocusSeq int
	// Moment is the last room-wide lab action ("labs-revoked" or
	// "labs-denylist") and MomentAt when it happened: attendees' lab
	// checks since then are what the board tallies.
	Moment   string `gorm:"size:20"`
	MomentAt *time.Time
	// PodiumAt is when the instructor last showed the podium to the
	// room: a screen that reloads or reconnects shows it again, until a
	// round started after it takes its place.
	PodiumAt *time.Time
	StartsAt *time.Time
	EndsAt   *time.Time
	// CreatedAt orders the instructor's history.
	CreatedAt time.Time
	EndedAt   *time.Time
}

// Ended reports whether the workshop is over (read-only).
func (w *Workshop) Ended() bool { return w.EndedAt != nil }

// LessonSlugs, LockedSlugs and QueueIDs split the space-separated lists.
func (w *Workshop) LessonSlugs() []string { return strings.Fields(w.Lessons) }

// LockedSlugs lists the lessons locked for the room.
func (w *Workshop) LockedSlugs() []string { return strings.Fields(w.Locked) }

// QueueIDs lists the questions still queued for rounds.
func (w *Workshop) QueueIDs() []string { return strings.Fields(w.Queue) }

// Participant is one attendee of a workshop, tied to the learner (a
// guest or an account) whose site session joined: the same cookie comes
// back as the same participant.
type Participant struct {
	ID         string `gorm:"primaryKey;size:32"`
	WorkshopID string `gorm:"uniqueIndex:idx_participant_learner;uniqueIndex:idx_participant_nick;size:32"`
	LearnerID  string `gorm:"uniqueIndex:idx_participant_learner;index;size:32"`
	Nickname   string `gorm:"size:80"`
	NickKey    string `gorm:"uniqueIndex:idx_participant_nick;size:80"` // see NicknameKey
	Removed    bool
	JoinedAt   time.Time
	LastSeen   time.Time
	Lesson     string    `gorm:"size:100"` // where the attendee is now
	Step       string    `gorm:"size:100"` // heading anchor or quiz id within it
	StepAt     time.Time // when Lesson or Step last changed
	// The attendee's lab as their lab page last saw it after a room-wide
	// moment: the HTTP status of its session side and of its token side
	// (0: that side was not logged in), and when.
	LabSession int
	LabToken   int
	LabCheckAt *time.Time
}

// Round is one live quiz question pushed to the room.
type Round struct {
	ID         string `gorm:"primaryKey;size:32"`
	WorkshopID string `gorm:"index:idx_round_seq,unique;size:32"`
	Seq        int    `gorm:"index:idx_round_seq,unique"`
	QuestionID string `gorm:"size:100"`
	// Source is the quiz block of a question written on the spot; empty
	// for a question of the course bank.
	Source     string
	Seconds    int
	StartedAt  time.Time
	Deadline   time.Time
	ClosedAt   *time.Time
	RevealedAt *time.Time
}

// Open reports whether the round still takes answers at now.
func (r *Round) Open(now time.Time) bool { return r.ClosedAt == nil && now.Before(r.Deadline) }

// RoundAnswer is one participant's answer in a round: the first one
// counts, a retry changes nothing.
type RoundAnswer struct {
	RoundID       string    `gorm:"primaryKey;size:32" json:"round_id"`
	ParticipantID string    `gorm:"primaryKey;size:32" json:"participant_id"`
	WorkshopID    string    `gorm:"index;size:32" json:"workshop_id"`
	Answer        string    `json:"answer"` // option keys (or true/false), space-separated
	Score         float64   `json:"score"`
	Correct       bool      `json:"correct"`
	Points        int       `json:"points"`
	ElapsedMS     int       `json:"elapsed_ms"`
	At            time.Time `json:"at"`
}

func (s *Store) migrateWorkshops() error {
	if err := s.db.AutoMigrate(&Workshop{}, &Participant{}, &Round{}, &RoundAnswer{}); err != nil {
		return fmt.Errorf("progress: migrate workshops: %w", err)
	}
	return nil
}

// JoinAlphabet is the join code's characters: capitals and digits
// without the look-alikes 0/O, 1/I/L, 5/S, 2/Z, 8/B, so a code read off a
// projector from the back of the room is typed right.
const JoinAlphabet = "ACDEFGHJKMNPQRTUVWXY34679"

// JoinCodeLength is the number of characters of a join code.
const JoinCodeLength = 6

// NewJoinCode draws a random join code.
func NewJoinCode() string {
	b := make([]byte, JoinCodeLength)
	rand.Read(b)
	for i := range b {
		b[i] = JoinAlphabet[int(b[i])%len(JoinAlphabet)] // 256 % 25 = 6: a negligible bias
	}
	return string(b)
}

// NormalizeJoinCode uppercases a typed code and drops spaces and
// dashes; ok is false when it cannot be a join code.
func NormalizeJoinCode(s string) (string, bool) {
	var b strings.Builder
	for _, r := range strings.ToUpper(s) {
		if r == ' ' || r == '-' {
			continue
		}
		if !strings.ContainsRune(JoinAlphabet, r) {
			return "", false
		}
		b.WriteRune(r)
	}
	return b.String(), b.Len() == JoinCodeLength
}

// Nickname limits.
const (
	NicknameMin = 2
	NicknameMax = 24
)

// NicknameError says what is wrong with a nickname, in a sentence.
type NicknameError struct{ Reason string }

func (e *NicknameError) Error() string { return e.Reason }

// CleanNickname trims a nickname and collapses inner spaces, then
// checks it: 2 to 24 characters, letters, digits, spaces and . _ - ',
// starting with a letter or a digit (so a spreadsheet never reads it as
// a formula).
func CleanNickname(s string) (string, error) {
	nick := strings.Join(strings.Fields(s), " ")
	n := utf8.RuneCountInString(nick)
	switch {
	case n < NicknameMin:
		return "", &NicknameError{fmt.Sprintf("Pick a nickname of at least %d characters.", NicknameMin)}
	case n > NicknameMax:
		return "", &NicknameError{fmt.Sprintf("Pick a nickname of at most %d characters (this one has %d).", NicknameMax, n)}
	}
	for i, r := range nick {
		if i == 0 && !unicode.IsLetter(r) && !unicode.IsDigit(r) {
			return "", &NicknameError{"Start the nickname with a letter or a digit."}
		}
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) && !strings.ContainsRune(" ._-'", r) {
			return "", &NicknameError{fmt.Sprintf("A nickname may hold letters, digits, spaces and . _ - ' only; “%c” is not allowed.", r)}
		}
	}
	return nick, nil
}

// NicknameKey is what must be unique in a room: "Sam", "sam" and "SAM"
// are one nickname.
func NicknameKey(nick string) string { return strings.ToLower(nick) }

// MaxRoundPoints is what a right answer given at once earns.
const MaxRoundPoints = 1000

// RoundPoints scores an answer Kahoot-style: a right answer earns
// between 500 (at the buzzer) and 1000 (at once), a partly right one
// that share of it, a wrong one nothing.
func RoundPoints(score float64, elapsed, limit time.Duration) int {
	if score <= 0 || limit <= 0 {
		return 0
	}
	frac := math.Min(math.Max(float64(elapsed)/float64(limit), 0), 1)
	return int(math.Round(MaxRoundPoints * math.Min(score, 1) * (1 - frac/2)))
}
