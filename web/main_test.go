package web

import (
	"os"
	"testing"

	"github.com/gin-gonic/gin"
)

// afterTests run once every test has finished (the browser tests add
// closing their shared Chromium).
var afterTests []func()

func TestMain(m *testing.M) {
	gin.SetMode(gin.TestMode) // no route dump in test output
	code := m.Run()
	for _, f := range afterTests {
		f()
	}
	os.Exit(code)
}
