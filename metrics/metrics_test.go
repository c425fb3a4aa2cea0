package metrics

import (
	"context"
	"database/sql"
	"testing"
	"time"
)

type fakeDB struct{}

func (fakeDB) DBStats() sql.DBStats { return sql.DBStats{OpenConnections: 3, InUse: 1} }

type fakeLabs struct{}

func (fakeLabs) CountLabs(context.Context) (int64, error) { return 7, nil }

// gauges is every gauge on m's registry by name.
func gauges(t *testing.T, m *Set) map[string]float64 {
	t.Helper()
	mfs, err := m.Registry.Gather()
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]float64{}
	for _, mf := range mfs {
		for _, x := range mf.GetMetric() {
			if g := x.GetGauge(); g != nil {
				out[mf.GetName()] = g.GetValue()
			}
		}
	}
	return out
}

// TestGauges: the pool and store gauges read their source at each
// scrape; without sources they are left out.
func TestGauges(t *testing.T) {
	m := New(fakeDB{}, fakeLabs{})
	m.Attendees(func(_ context.Context, window time.Duration) (int64, error) { return int64(window / time.Minute), nil })
	g := gauges(t, m)
	for name, want := range map[string]float64{"authlab_db_open_connections": 3, "authlab_db_in_use_connections": 1,
		"authlab_labs": 7, "authlab_workshop_attendees": 5, "authlab_sse_streams_active": 0} {
		if got, ok := g[name]; !ok || got != want {
			t.Errorf("%s = %v (present %v), want %v", name, got, ok, want)
		}
	}
	bare := gauges(t, New(nil, nil))
	for _, name := range []string{"authlab_db_open_connections", "authlab_labs"} {
		if _, ok := bare[name]; ok {
			t.Errorf("without sources %s is there", name)
		}
	}
}
