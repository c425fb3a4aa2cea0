package progress

import (
	"fmt"
	"time"
)

// Learner is a person: a guest (no username) or an account.
type Learner struct {
	ID           string  `gorm:"primaryKey;size:32"`
	Username     *string `gorm:"uniqueIndex;size:64"`  // as typed at sign-up: the display form
	UsernameKey  *string `gorm:"uniqueIndex;size:128"` // UsernameKey(Username): what is unique and looked up
	Email        string  `gorm:"size:254"`
	PasswordHash string  `gorm:"size:200"`
	Instructor   bool
	CreatedAt    time.Time
	UpdatedAt    time.Time
}

// IsGuest reports whether the learner has no account yet.
func (l *Learner) IsGuest() bool { return l.Username == nil }

// Name is the username, or "guest".
func (l *Learner) Name() string {
	if l.Username == nil {
		return "guest"
	}
	return *l.Username
}

// SessionRecord is one site session. ID is the SHA-256 of the opaque
// value in the cookie; the value itself is never stored.
type SessionRecord struct {
	ID        string    `gorm:"primaryKey;size:64" json:"id"`
	LearnerID string    `gorm:"index;size:32" json:"learner_id"`
	Data      []byte    `json:"data"`
	UserAgent string    `gorm:"size:300" json:"user_agent"`
	Addr      string    `gorm:"size:64" json:"addr"`
	CreatedAt time.Time `json:"created_at"`
	LastSeen  time.Time `json:"last_seen"`
	// ExpiresAt is the absolute end; the idle end is LastSeen + idle.
	ExpiresAt time.Time `gorm:"index" json:"expires_at"`
	// Progress is the learner's progress version (versions.go), read
	// with the session by Store.Session; not stored.
	Progress ProgressStamp `gorm:"-" json:"-"`
}

// ProgressStamp is a progress version read along with something else;
// Read is false where it was not (sessions in Redis).
type ProgressStamp struct {
	Version int64
	Read    bool
}

// TableName keeps the SQL name plain.
func (SessionRecord) TableName() string { return "site_sessions" }

// RefreshToken is one API refresh token, stored hashed. Tokens issued
// from one login form a family; a reused token revokes its family.
type RefreshToken struct {
	Hash      string `gorm:"primaryKey;size:64"`
	FamilyID  string `gorm:"index;size:32"`
	LearnerID string `gorm:"index;size:32"`
	CreatedAt time.Time
	ExpiresAt time.Time
	UsedAt    *time.Time
	RevokedAt *time.Time
}

// RefreshFamily is one API sign-in: the refresh tokens that rotate from
// one POST /api/v1/token. Its ID is the sid claim of every access token
// issued in it, so revoking the family refuses those at once too. The
// sessions page lists live families beside the cookie sessions.
type RefreshFamily struct {
	ID        string `gorm:"primaryKey;size:32"`
	LearnerID string `gorm:"index;size:32"`
	UserAgent string `gorm:"size:300"`
	Addr      string `gorm:"size:64"`
	CreatedAt time.Time
	// LastUsed is the latest sign-in, refresh or API call (API calls are
	// recorded at most once a minute per replica).
	LastUsed time.Time
	// ExpiresAt is when its newest refresh token expires.
	ExpiresAt time.Time `gorm:"index"`
	RevokedAt *time.Time
}

// TableName keeps the SQL name plain.
func (RefreshFamily) TableName() string { return "refresh_families" }

// DeniedToken is an access token's jti refused until it expires.
type DeniedToken struct {
	JTI       string    `gorm:"primaryKey;size:64"`
	ExpiresAt time.Time `gorm:"index"`
}

// LessonProgress is a learner's state in one lesson.
type LessonProgress struct {
	LearnerID    string     `gorm:"primaryKey;size:32" json:"learner_id"`
	Slug         string     `gorm:"primaryKey;size:100" json:"slug"`
	FirstVisited time.Time  `json:"first_visited"`
	LastVisited  time.Time  `json:"last_visited"`
	CompletedAt  *time.Time `json:"completed_at"`
	Position     string     `gorm:"size:100" json:"position"`
	Seconds      int        `json:"seconds"`
}

// Attempt is one graded answer. Key makes recording idempotent: a
// retried submission with the same key is stored once.
type Attempt struct {
	ID         uint64    `gorm:"primaryKey;autoIncrement" json:"id"`
	LearnerID  string    `gorm:"uniqueIndex:idx_attempt_key;index:idx_attempt_q;size:32" json:"learner_id"`
	Key        string    `gorm:"uniqueIndex:idx_attempt_key;size:64" json:"key"`
	QuestionID string    `gorm:"index:idx_attempt_q;size:100" json:"question_id"`
	Source     string    `gorm:"size:20" json:"source"` // lesson, drill, mock, workshop
	Score      float64   `json:"score"`                 // 0..1
	Correct    bool      `json:"correct"`
	Answer     string    `json:"answer"`
	CreatedAt  time.Time `json:"created_at"`
}

// Card is a question's spaced-repetition schedule for one learner. The
// fields mirror quiz.Card; progress stores them and does not interpret.
type Card struct {
	LearnerID  string    `gorm:"primaryKey;size:32" json:"learner_id"`
	QuestionID string    `gorm:"primaryKey;size:100" json:"question_id"`
	Ease       float64   `json:"ease"`
	Interval   int       `json:"interval"` // days
	Reps       int       `json:"reps"`
	Lapses     int       `json:"lapses"`
	Due        time.Time `gorm:"index" json:"due"`
	LastReview time.Time `json:"last_review"`
}

// Milestone is a lab story step a learner reached.
type Milestone struct {
	LearnerID string    `gorm:"primaryKey;size:32" json:"learner_id"`
	Lab       string    `gorm:"primaryKey;size:40" json:"lab"`
	Name      string    `gorm:"primaryKey;size:60" json:"name"`
	At        time.Time `json:"at"`
}

// LabState is a lab's snapshot, so labs survive restarts and are shared
// by replicas.
type LabState struct {
	ID        string `gorm:"primaryKey;size:40"`
	Owner     string `gorm:"index;size:32"`
	Blob      []byte
	ExpiresAt time.Time `gorm:"index"`
	UpdatedAt time.Time
	Stamp     int64 `gorm:"not null;default:0"` // the writer's mark of this version (labs.go); 0 = none
}

// Merge records that a guest was merged into an account, so a retried
// merge reports the same result and doubles nothing.
type Merge struct {
	GuestID   string `gorm:"primaryKey;size:32"`
	AccountID string `gorm:"index;size:32"`
	Summary   string
	CreatedAt time.Time
}

func (s *Store) migrate() error {
	err := s.db.AutoMigrate(&Learner{}, &SessionRecord{}, &RefreshToken{}, &RefreshFamily{}, &DeniedToken{},
		&LessonProgress{}, &Attempt{}, &Card{}, &Milestone{}, &LabState{}, &Merge{})
	if err != nil {
		return fmt.Errorf("progress: migrate: %w", err)
	}
	if err := s.migrateRefreshFamilies(); err != nil {
		return err
	}
	if err := s.migrateWorkshops(); err != nil {
		return err
	}
	return s.migrateVersions()
}
