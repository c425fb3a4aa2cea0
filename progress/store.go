package progress

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"gorm.io/driver/postgres"
	"gorm.io/driver/sqlite"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"
)

// Config says where the data lives.
type Config struct {
	// DatabaseURL is a postgres:// URL; empty means SQLite in DataDir.
	DatabaseURL string
	// DataDir holds authlab.db when DatabaseURL is empty.
	DataDir string
	Logger  *slog.Logger
}

// Store is the database. It is safe for concurrent use.
type Store struct {
	db       *gorm.DB
	log      *slog.Logger
	postgres bool
	now      func() time.Time
	// answers writes lesson answers in groups (answers.go, group.go),
	// with answerStmts, prepared once.
	answers     *groupCommitter[*Answer, *AnswerResult]
	answerStmts map[string]*sql.Stmt
	bestStmts   sync.Map // IN-list length -> *sql.Stmt (answers.go)
	lessonViews sync.Map // quiz count -> LessonView's statement (lessons.go)
	// stopCheckpoints stops the SQLite checkpointer (checkpoint.go), which
	// closes checkpointsDone; both nil on Postgres.
	stopCheckpoints, checkpointsDone chan struct{}
	stopOnce                         sync.Once
	maxIdle                          int          // idle connections the pool keeps (ReleaseIdle)
	walLong                          atomic.Bool  // the log is long: the answer writer checkpoints next
	checkpoints                      atomic.Int64 // background checkpoint passes run (tests)
}

// Open connects, checks the connection and migrates the schema.
func Open(ctx context.Context, cfg Config) (*Store, error) {
	log := cfg.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	gcfg := &gorm.Config{
		Logger:                 logger.Default.LogMode(logger.Silent),
		SkipDefaultTransaction: true, // single statements need no explicit transaction
		PrepareStmt:            true,
		NowFunc:                func() time.Time { return time.Now().UTC() },
		TranslateError:         true,
	}
	var (
		db      *gorm.DB
		err     error
		pg      bool
		commits chan struct{} // SQLite: a commit happened (checkpoint.go)
	)
	switch {
	case strings.HasPrefix(cfg.DatabaseURL, "postgres://"), strings.HasPrefix(cfg.DatabaseURL, "postgresql://"):
		pg = true
		db, err = gorm.Open(postgres.Open(cfg.DatabaseURL), gcfg)
	case cfg.DatabaseURL != "":
		return nil, fmt.Errorf("progress: unsupported database URL %q: use postgres://… or leave it empty for SQLite", redactURL(cfg.DatabaseURL))
	default:
		if !sqliteAvailable {
			return nil, errors.New("progress: this binary was built without cgo, and SQLite needs it: build with CGO_ENABLED=1 (and a C compiler), or pass --database-url postgres://…")
		}
		dir := cfg.DataDir
		if dir == "" {
			dir = "data"
		}
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return nil, fmt.Errorf("progress: data directory: %w", err)
		}
		commits = make(chan struct{}, 1)
		db, err = gorm.Open(sqlite.New(sqlite.Config{DriverName: sqliteDriverFor(commits), DSN: sqliteDSN(filepath.Join(dir, "authlab.db"))}), gcfg)
	}
	if err != nil {
		return nil, fmt.Errorf("progress: open database: %w", err)
	}
	sqlDB, err := db.DB()
	if err != nil {
		return nil, fmt.Errorf("progress: open database: %w", err)
	}
	maxIdle := 10
	if pg {
		sqlDB.SetMaxOpenConns(20)
	} else {
		// WAL lets readers run beside the one writer; busy_timeout and
		// immediate transactions make writers queue instead of failing
		// with SQLITE_BUSY. A small pool keeps the queue short.
		sqlDB.SetMaxOpenConns(8)
		maxIdle = 8
	}
	sqlDB.SetMaxIdleConns(maxIdle)
	sqlDB.SetConnMaxIdleTime(5 * time.Minute)
	s := &Store{db: db, log: log, postgres: pg, maxIdle: maxIdle, now: func() time.Time { return time.Now().UTC() }}
	pctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := s.Ping(pctx); err != nil {
		sqlDB.Close()
		return nil, fmt.Errorf("progress: connect: %w", err)
	}
	if err := s.migrate(); err != nil {
		sqlDB.Close()
		return nil, err
	}
	if err := s.backfillUsernameKeys(ctx); err != nil {
		sqlDB.Close()
		return nil, err
	}
	if err := s.prepareAnswers(pctx); err != nil {
		sqlDB.Close()
		return nil, err
	}
	if !pg {
		s.stopCheckpoints, s.checkpointsDone = make(chan struct{}), make(chan struct{})
		go s.checkpointer(sqlDB, commits, s.stopCheckpoints, s.checkpointsDone)
	}
	return s, nil
}

// sqliteDSN turns on WAL, a busy timeout, foreign keys and immediate
// transactions for every connection of the pool.
func sqliteDSN(path string) string {
	return "file:" + path + "?_journal_mode=WAL&_busy_timeout=5000&_foreign_keys=on&_txlock=immediate&_synchronous=NORMAL&cache=private"
}

// redactURL hides a password in a URL for error messages.
func redactURL(u string) string {
	if at := strings.LastIndex(u, "@"); at > 0 {
		if scheme := strings.Index(u, "://"); scheme >= 0 && scheme < at {
			return u[:scheme+3] + "…" + u[at:]
		}
	}
	return u
}

// Ping checks the database answers.
func (s *Store) Ping(ctx context.Context) error {
	sqlDB, err := s.db.DB()
	if err != nil {
		return err
	}
	return sqlDB.PingContext(ctx)
}

// ReleaseIdle closes the connections the pool holds idle, and with them
// what each keeps: on SQLite its page cache and prepared statements, a
// few hundred KB each; on Postgres a server process. The server calls it
// once a burst is over (returnMemoryWhenIdle), so the quiet hours after a
// class do not keep a class's worth of connections; the next request
// opens what it needs. Connections in use are not touched.
func (s *Store) ReleaseIdle() {
	sqlDB, err := s.db.DB()
	if err != nil {
		return
	}
	sqlDB.SetMaxIdleConns(0) // closes every idle connection
	sqlDB.SetMaxIdleConns(s.maxIdle)
}

// Close writes the answers already submitted (RecordAnswer), then closes
// the pool; answers submitted after it starts fail with ErrClosed.
func (s *Store) Close() error {
	if s.answers != nil {
		s.answers.close()
	}
	for _, st := range s.answerStmts {
		st.Close()
	}
	s.bestStmts.Range(func(_, st any) bool { st.(*sql.Stmt).Close(); return true })
	if s.stopCheckpoints != nil {
		s.stopOnce.Do(func() { close(s.stopCheckpoints) })
		<-s.checkpointsDone
	}
	sqlDB, err := s.db.DB()
	if err != nil {
		return err
	}
	return sqlDB.Close()
}

// Dialect names the database: "sqlite" or "postgres".
func (s *Store) Dialect() string {
	if s.postgres {
		return "postgres"
	}
	return "sqlite"
}

// SetClock replaces the clock, for tests of expiry.
func (s *Store) SetClock(now func() time.Time) { s.now = func() time.Time { return now().UTC() } }

// newID is a random 128-bit identifier in hex.
func newID() string {
	var b [16]byte
	rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// notFound maps gorm's not-found to ErrNotFound.
func notFound(err error) error {
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return ErrNotFound
	}
	return err
}

// DBStats reports the connection pool, for metrics.
func (s *Store) DBStats() sql.DBStats {
	sqlDB, err := s.db.DB()
	if err != nil {
		return sql.DBStats{}
	}
	return sqlDB.Stats()
}

// Backup writes a consistent copy of the SQLite database to path (VACUUM
// INTO: a snapshot taken inside one read transaction, safe while serving).
// Postgres is backed up with pg_dump instead.
func (s *Store) Backup(ctx context.Context, path string) error {
	if s.postgres {
		return errors.New("progress: backup: this is PostgreSQL; use pg_dump (see docs/deploy.md)")
	}
	if _, err := os.Stat(path); err == nil {
		return fmt.Errorf("progress: backup: %s already exists; choose a new file name", path)
	}
	if err := s.db.WithContext(ctx).Exec("VACUUM INTO ?", path).Error; err != nil {
		return fmt.Errorf("progress: backup: %w", err)
	}
	return nil
}

// shortRead is ctx for a read by key that SQLite answers in microseconds
// and that a request makes every time (the site session, the lesson
// view, an API token's state, a lab's stamp), without ctx's cancellation
// on SQLite: there a context that can end costs every query a goroutine
// in database/sql (Rows waiting on ctx.Done) and a watcher in the driver,
// 2.8 µs of an 8 µs session read (BenchmarkSessionRead). A WAL reader
// never waits for a lock, so the read cannot hang, and the request's
// cancellation still ends the handler around it. On Postgres a query
// crosses the network and keeps ctx.
func (s *Store) shortRead(ctx context.Context) context.Context {
	if s.postgres {
		return ctx
	}
	return context.WithoutCancel(ctx)
}
