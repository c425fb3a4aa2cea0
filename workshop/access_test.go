package workshop

import (
	"strings"
	"testing"
)

func TestFind(t *testing.T) {
	t.Parallel()
	r := newRoom(t)
	for _, tt := range []struct {
		typed string
		kind  Kind // 0: found
	}{
		{r.w.Code, 0},
		{strings.ToLower(r.w.Code[:3]) + "-" + r.w.Code[3:], 0},
		{"12", Invalid},
		{"OOOOOO", Invalid}, // no O in a code
		{"ACDEFH", NotFound},
	} {
		w, err := r.e.Find(r.ctx, tt.typed)
		if tt.kind == 0 {
			if err != nil || w.ID != r.w.ID {
				t.Errorf("Find(%q): %v, %v", tt.typed, w, err)
			}
			continue
		}
		wantKind(t, "Find("+tt.typed+")", err, tt.kind)
	}
}

func TestPromote(t *testing.T) {
	t.Parallel()
	r := newRoom(t)
	me, err := r.store.NewAccount(r.ctx, "teacher", "", "x", true)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := r.store.NewAccount(r.ctx, "ada", "", "x", false); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name, says string
		kind       Kind
	}{
		{"  ", "", Invalid},
		{"nobody", "", Invalid},
		{"ada", "ada is now an instructor", 0},
		{"ada", "ada is already an instructor", 0},
		{"teacher", "You are already an instructor", 0},
	} {
		msg, err := r.e.Promote(r.ctx, me.ID, tt.name)
		if tt.kind != 0 {
			wantKind(t, "Promote("+tt.name+")", err, tt.kind)
			continue
		}
		if err != nil || !strings.HasPrefix(msg, tt.says) {
			t.Errorf("Promote(%q) = %q, %v; want %q…", tt.name, msg, err, tt.says)
		}
	}
}
