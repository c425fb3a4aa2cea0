package web

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/authlab/authlab/lessons"
	"github.com/authlab/authlab/workshop"
)

// getAs sends a GET as cl (its cookies) but naming another Host, as a
// forged request or a browser at another name of the server would.
func getAs(t *testing.T, cl *client, path, host string) string {
	t.Helper()
	req, _ := http.NewRequest("GET", cl.base+path, nil)
	req.Host = host
	req.Header.Set("Accept", "application/json")
	u, _ := url.Parse(cl.base)
	for _, c := range cl.hc.Jar.Cookies(u) {
		req.AddCookie(c)
	}
	resp, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s as Host %s: %d %s", path, host, resp.StatusCode, b)
	}
	return string(b)
}

// TestJoinURLFollowsBaseURL: with --base-url every join link (lobby, board,
// QR) is built on it, whatever Host a request names; without, a loopback
// Host gets a warning on the lobby that phones cannot open it.
func TestJoinURLFollowsBaseURL(t *testing.T) {
	t.Parallel()
	r := newRoom(t)
	want := "/w/" + r.code
	lobby := getAs(t, r.teacher, "/workshops/"+r.id+"/lobby", "localhost:8080")
	if !strings.Contains(lobby, "http://localhost:8080"+want) || !strings.Contains(lobby, "Phones cannot open this address") {
		t.Errorf("without --base-url, a localhost lobby should show its URL and warn that phones cannot open it")
	}
	if lobby := getAs(t, r.teacher, "/workshops/"+r.id+"/lobby", "192.168.1.20:8080"); strings.Contains(lobby, "Phones cannot open") {
		t.Error("a LAN address is flagged as unreachable")
	}

	// The same site started with --base-url: a second server over the
	// same database and keys, where the teacher's cookie still works.
	srv, err := newTestServer(t, Deps{Logger: r.env.srv.log, Catalog: lessons.Static(r.env.catalog), Store: r.env.store,
		Keys: r.env.keys, BaseURL: "https://authlab.example.org/"})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv)
	t.Cleanup(ts.Close)
	teacher := *r.teacher
	teacher.base = ts.URL
	for _, host := range []string{"localhost:8080", "evil.example"} {
		lobby := getAs(t, &teacher, "/workshops/"+r.id+"/lobby", host)
		if !strings.Contains(lobby, "https://authlab.example.org"+want) || strings.Contains(lobby, host+want) || strings.Contains(lobby, "Phones cannot open") {
			t.Errorf("Host %s changed the lobby's join URL despite --base-url", host)
		}
		var b workshop.Board
		if err := json.Unmarshal([]byte(getAs(t, &teacher, "/workshops/"+r.id+"/board.json", host)), &b); err != nil {
			t.Fatal(err)
		}
		if b.JoinURL != "https://authlab.example.org"+want {
			t.Errorf("Host %s: board join URL %q", host, b.JoinURL)
		}
	}
}
