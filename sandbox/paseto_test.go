package sandbox

import (
	"crypto/ed25519"
	"encoding/hex"
	"testing"
)

// The PASETO specification's v4.public test vectors.
func TestPasetoVectors(t *testing.T) {
	t.Parallel()
	seed, _ := hex.DecodeString("b4cbfb43df4ce210727d953e4a713307fa19bb7d9f85041438d9e11b942a3774")
	key := ed25519.NewKeyFromSeed(seed)
	if hex.EncodeToString(key.Public().(ed25519.PublicKey)) != "1eb9dbbbbc047c03fd70604e0071f0987e16b28b757225c11f00415d0e20b1a2" {
		t.Fatal("the vector's public key does not match its seed")
	}
	msg := []byte(`{"data":"this is a signed message","exp":"2022-01-01T00:00:00+00:00"}`)
	for _, v := range []struct{ name, footer, token string }{
		{"4-S-1", "", "v4.public.eyJkYXRhIjoidGhpcyBpcyBhIHNpZ25lZCBtZXNzYWdlIiwiZXhwIjoiMjAyMi0wMS0wMVQwMDowMDowMCswMDowMCJ9bg_XBBzds8lTZShVlwwKSgeKpLT3yukTw6JUz3W4h_ExsQV-P0V54zemZDcAxFaSeef1QlXEFtkqxT1ciiQEDA"},
		{"4-S-2", `{"kid":"zVhMiPBP9fRf2snEcT7gFTioeA9COcNy9DfgL1W60haN"}`, "v4.public.eyJkYXRhIjoidGhpcyBpcyBhIHNpZ25lZCBtZXNzYWdlIiwiZXhwIjoiMjAyMi0wMS0wMVQwMDowMDowMCswMDowMCJ9v3Jt8mx_TdM2ceTGoqwrh4yDFn0XsHvvV_D0DtwQxVrJEBMl0F2caAdgnpKlt4p7xBnx1HcO-SPo8FPp214HDw.eyJraWQiOiJ6VmhNaVBCUDlmUmYyc25FY1Q3Z0ZUaW9lQTlDT2NOeTlEZmdMMVc2MGhhTiJ9"},
	} {
		if got := pasetoSign(key, msg, []byte(v.footer)); got != v.token {
			t.Errorf("%s: signed\n%s\nwant\n%s", v.name, got, v.token)
		}
		m, f, err := pasetoVerify(key.Public().(ed25519.PublicKey), v.token)
		if err != nil || string(m) != string(msg) || string(f) != v.footer {
			t.Errorf("%s: verify %q %q %v", v.name, m, f, err)
		}
		bad := []byte(v.token)
		bad[20] ^= 1
		if _, _, err := pasetoVerify(key.Public().(ed25519.PublicKey), string(bad)); err == nil {
			t.Errorf("%s: a changed token verified", v.name)
		}
	}
	if got := hex.EncodeToString(pae([]byte("test"))); got != "0100000000000000"+"0400000000000000"+"74657374" {
		t.Errorf("PAE: %s", got)
	}
}
