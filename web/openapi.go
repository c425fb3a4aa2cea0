package web

import (
	_ "embed"
	"net/http"

	"github.com/gin-gonic/gin"
)

// openAPIDoc describes /api/v1; a test checks it lists every API route.
//
//go:embed openapi.json
var openAPIDoc []byte

// openAPI serves the document; it changes only with a new release.
func openAPI(c *gin.Context) {
	c.Header("Cache-Control", "public, max-age=300")
	c.Data(http.StatusOK, "application/json", openAPIDoc)
}
