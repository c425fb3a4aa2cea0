package progress

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"gorm.io/gorm"
)

// A learner's progress version moves whenever anything a lesson page
// shows of them changes (LessonView's rows): a lesson visited for the
// first time, marked or unmarked, an answer, a lab step, a workshop
// joined or left, a workshop of theirs locking or unlocking a lesson or
// ending. A page
// made for one version is the page for as long as the version stays, so
// web keeps a learner's rendered pages under it and asks for the version
// alone on the next view (ProgressVersion: one primary-key read).
//
// The database moves it, not the Store's methods: triggers on the tables
// LessonView reads bump the learner's row in progress_versions in the
// transaction of the change. So no writer can forget it, whichever
// replica or command (authlab user) writes; and a read that sees the
// change sees the new version, since both commit together. The row goes
// with the learner (a trigger on learners).
//
// Versions only grow while the learner exists (no row reads as 0, the
// first change makes 1), so a version names one state of the rows.

// versionedTables are the tables of LessonView whose rows name their
// learner, with the columns whose updates count ("" for all). A lesson
// page shows a lesson row's existence (visited) and completion, not
// when it was last visited, for how long or where (the home page's
// Resume does, and it is not kept): a visit to a lesson seen before
// moves nothing, so reading a lesson does not undo its kept page. On
// participants only membership counts (an attendee's whereabouts change
// all the time and show nowhere on a lesson page).
var versionedTables = []struct{ table, columns string }{
	{"lesson_progresses", "learner_id, slug, completed_at"},
	{"milestones", ""},
	{"attempts", ""},
	{"participants", "learner_id, workshop_id, removed"},
}

// migrateVersions creates progress_versions and the triggers that keep
// it, in one transaction: a first start makes them all, later starts
// find them there.
func (s *Store) migrateVersions() error {
	const table = "CREATE TABLE IF NOT EXISTS progress_versions (learner_id VARCHAR(32) PRIMARY KEY, version BIGINT NOT NULL DEFAULT 0)"
	// In SQLite, WITHOUT ROWID keeps the rows in their key's B-tree
	// alone: one tree to write per bump instead of a table and its index.
	stmts := append([]string{table + " WITHOUT ROWID"}, sqliteVersionTriggers()...)
	if s.postgres {
		stmts = append([]string{table}, postgresVersionTriggers()...)
	}
	err := s.db.Transaction(func(tx *gorm.DB) error {
		for _, q := range stmts { // gorm prepares each statement: one at a time
			if err := tx.Exec(q).Error; err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("progress: migrate versions: %w", err)
	}
	return nil
}

// bumpSQL moves the version of the learner named by expr (NEW.x, OLD.x)
// or, with from, of every learner that query selects.
const bumpSQL = `INSERT INTO progress_versions (learner_id, version) %s
  ON CONFLICT (learner_id) DO UPDATE SET version = progress_versions.version + 1`

func bumpOne(learner string) string {
	return fmt.Sprintf(bumpSQL, "VALUES ("+learner+", 1)")
}

// bumpRoom moves the version of every attendee of workshop id (the WHERE
// keeps SQLite's parser from reading ON CONFLICT as a join).
func bumpRoom(id string) string {
	return fmt.Sprintf(bumpSQL, "SELECT learner_id, 1 FROM participants WHERE workshop_id = "+id+" AND 1 = 1")
}

func sqliteVersionTriggers() []string {
	var out []string
	for _, t := range versionedTables {
		of := ""
		if t.columns != "" {
			of = " OF " + t.columns
		}
		out = append(out,
			"CREATE TRIGGER IF NOT EXISTS pv_"+t.table+"_ins AFTER INSERT ON "+t.table+" BEGIN "+bumpOne("NEW.learner_id")+"; END",
			"CREATE TRIGGER IF NOT EXISTS pv_"+t.table+"_del AFTER DELETE ON "+t.table+" BEGIN "+bumpOne("OLD.learner_id")+"; END",
			"CREATE TRIGGER IF NOT EXISTS pv_"+t.table+"_upd AFTER UPDATE"+of+" ON "+t.table+" BEGIN "+
				bumpOne("OLD.learner_id")+"; "+
				fmt.Sprintf(bumpSQL, "SELECT NEW.learner_id, 1 WHERE NEW.learner_id <> OLD.learner_id")+"; END")
	}
	return append(out,
		"CREATE TRIGGER IF NOT EXISTS pv_workshops_upd AFTER UPDATE OF locked, ended_at ON workshops BEGIN "+bumpRoom("NEW.id")+"; END",
		"CREATE TRIGGER IF NOT EXISTS pv_learners_del AFTER DELETE ON learners BEGIN DELETE FROM progress_versions WHERE learner_id = OLD.id; END")
}

func postgresVersionTriggers() []string {
	out := []string{
		`CREATE OR REPLACE FUNCTION authlab_pv_row() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP <> 'INSERT' THEN ` + bumpOne("OLD.learner_id") + `; END IF;
  IF TG_OP = 'INSERT' OR (TG_OP = 'UPDATE' AND NEW.learner_id <> OLD.learner_id) THEN ` + bumpOne("NEW.learner_id") + `; END IF;
  RETURN NULL;
END $$`,
		`CREATE OR REPLACE FUNCTION authlab_pv_room() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN ` + bumpRoom("NEW.id") + `; RETURN NULL; END $$`,
		`CREATE OR REPLACE FUNCTION authlab_pv_gone() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN DELETE FROM progress_versions WHERE learner_id = OLD.id; RETURN NULL; END $$`,
		"CREATE OR REPLACE TRIGGER pv_workshops_upd AFTER UPDATE OF locked, ended_at ON workshops FOR EACH ROW EXECUTE FUNCTION authlab_pv_room()",
		"CREATE OR REPLACE TRIGGER pv_learners_del AFTER DELETE ON learners FOR EACH ROW EXECUTE FUNCTION authlab_pv_gone()",
	}
	for _, t := range versionedTables {
		upd := "UPDATE"
		if t.columns != "" {
			upd += " OF " + t.columns
		}
		out = append(out, "CREATE OR REPLACE TRIGGER pv_"+t.table+" AFTER INSERT OR DELETE OR "+upd+" ON "+t.table+
			" FOR EACH ROW EXECUTE FUNCTION authlab_pv_row()")
	}
	return out
}

// ProgressVersion is the learner's progress version: 0 until something
// is recorded, then one more with every change (see above).
func (s *Store) ProgressVersion(ctx context.Context, learnerID string) (int64, error) {
	var v int64
	err := s.db.ConnPool.QueryRowContext(ctx, s.bind(progressVersionSQL), learnerID).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("progress: progress version: %w", err)
	}
	return v, nil
}

const progressVersionSQL = "SELECT version FROM progress_versions WHERE learner_id = ?"
