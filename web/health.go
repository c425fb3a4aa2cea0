package web

import (
	"context"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"
)

// healthz answers as long as the process serves HTTP (liveness).
func (s *Server) healthz(c *gin.Context) {
	c.Header("Cache-Control", "no-store")
	c.JSON(http.StatusOK, gin.H{"status": "ok"})
}

// readyz checks what a request needs: the database and the course.
func (s *Server) readyz(c *gin.Context) {
	c.Header("Cache-Control", "no-store")
	ctx, cancel := context.WithTimeout(c.Request.Context(), 2*time.Second)
	defer cancel()
	checks := gin.H{}
	ok := true
	if err := s.db.Ping(ctx); err != nil {
		checks["database"] = "unreachable: " + err.Error()
		ok = false
	} else {
		checks["database"] = "ok"
	}
	if cat, _ := s.catalog.Catalog(); cat == nil || len(cat.Lessons) == 0 {
		checks["content"] = "not loaded"
		ok = false
	} else {
		checks["content"] = "ok"
	}
	status := http.StatusOK
	if !ok {
		status = http.StatusServiceUnavailable
	}
	c.JSON(status, gin.H{"ready": ok, "checks": checks, "version": s.version})
}
