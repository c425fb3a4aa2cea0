package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

// TestWorkshopFull: a room at its size limit refuses one more with a
// reason, and nobody already in is affected.
func TestWorkshopFull(t *testing.T) {
	t.Parallel()
	r := newRoom(t)
	ctx := context.Background()
	for i := 0; i < maxWorkshopSize; i++ {
		if _, _, err := r.env.store.Join(ctx, r.id, fmt.Sprintf("learner-%04d", i), fmt.Sprintf("n%04d", i), time.Now()); err != nil {
			t.Fatal(err)
		}
	}
	res := newClient(t, r.ts).do("POST", "/w/"+r.code+"/join", url.Values{"nickname": {"latecomer"}})
	if res.status != http.StatusConflict || !strings.Contains(res.body, "This workshop is full") {
		t.Errorf("joining a full room: %d", res.status)
	}
}
