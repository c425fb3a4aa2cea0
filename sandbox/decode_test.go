package sandbox

import (
	"encoding/base64"
	"errors"
	"strings"
	"testing"
)

func TestDecodeJWT(t *testing.T) {
	t.Parallel()
	enc := func(s string) string { return base64.RawURLEncoding.EncodeToString([]byte(s)) }
	h, p := enc(`{"alg":"HS256","kid":"hs-1"}`), enc(`{"sub":"alice","exp":1740819900}`)
	cases := []struct {
		name, in string
		problem  string // "" = decodes
	}{
		{"ok", h + "." + p + "." + enc("sig"), ""},
		{"bearer prefix", "Bearer " + h + "." + p + ".", ""},
		{"padded", h + "==." + p + "." + enc("sig") + "=", ""},
		{"empty", "  ", "empty"},
		{"one part", "abc", "this has 1 part"},
		{"four parts", "a.b.c.d", "this has 4 part"},
		{"header not base64", "!!." + p + ".", "header: not base64url"},
		{"header not json", enc("nope") + "." + p + ".", "header: not a JSON object"},
		{"payload an array", h + "." + enc("[1]") + ".", "payload: not a JSON object"},
		{"trailing data", h + "." + enc(`{"a":1}{}`) + ".", "data after"},
		{"signature not base64", h + "." + p + ".$$", "signature"},
		{"too long", h + "." + strings.Repeat("A", maxJWT) + ".", "over 16 KiB"},
	}
	for _, c := range cases {
		d, err := DecodeJWT(c.in)
		if c.problem == "" {
			if err != nil {
				t.Errorf("%s: %v", c.name, err)
			} else if d.Header["alg"] != "HS256" || d.Payload["sub"] != "alice" {
				t.Errorf("%s: %+v", c.name, d)
			}
			continue
		}
		if !errors.Is(err, ErrMalformedJWT) || !strings.Contains(err.Error(), c.problem) {
			t.Errorf("%s: err %v, want %q", c.name, err, c.problem)
		}
	}
	d, _ := DecodeJWT(h + "." + p + "." + enc("sig"))
	if exp := d.Payload["exp"]; exp == nil || exp.(interface{ String() string }).String() != "1740819900" {
		t.Errorf("exp kept as %v", exp)
	}
}

// FuzzDecodeJWT: any string decodes or fails with ErrMalformedJWT.
func FuzzDecodeJWT(f *testing.F) {
	for _, s := range []string{"", "a.b.c", "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhIn0.c2ln", "Bearer x.y.z", "..", "e30.e30.", "e30=.e30.="} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := DecodeJWT(s)
		if err != nil {
			if !errors.Is(err, ErrMalformedJWT) || d != nil {
				t.Fatalf("err %v with %v", err, d)
			}
			return
		}
		if d.Header == nil || d.Payload == nil {
			t.Fatalf("decoded without maps: %+v", d)
		}
	})
}
