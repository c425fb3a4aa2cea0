package siteauth

import (
	"strings"
	"testing"
)

func TestAccountRules(t *testing.T) {
	t.Parallel()
	for name, ok := range map[string]bool{"ada": true, "ada.l_9-x": true, "9lives": true, "ab": false, ".ada": false, "ada lovelace": false,
		strings.Repeat("a", 32): true, strings.Repeat("a", 33): false, "adá": false} {
		if err := CheckUsername(name); (err == nil) != ok {
			t.Errorf("CheckUsername(%q) = %v", name, err)
		}
	}
	for email, ok := range map[string]bool{"": true, "ada@example.org": true, "Ada <ada@example.org>": false, "ada": false,
		strings.Repeat("a", 250) + "@x.org": false} {
		if err := CheckEmail(email); (err == nil) != ok {
			t.Errorf("CheckEmail(%q) = %v", email, err)
		}
	}
}
