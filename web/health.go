package web

import (
	"context"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"
)

// healthHandlers answer the load balancer's and the orchestrator's
// probes.
type healthHandlers struct {
	db      Pinger
	catalog CatalogSource
	version string
}

// healthz answers as long as the process serves HTTP (liveness).
func (h *healthHandlers) healthz(c *gin.Context) {
	c.Header("Cache-Control", "no-store")
	c.JSON(http.StatusOK, gin.H{"status": "ok"})
}

// readyz checks what a request needs: the database and the course.
func (h *healthHandlers) readyz(c *gin.Context) {
	c.Header("Cache-Control", "no-store")
	ctx, cancel := context.WithTimeout(c.Request.Context(), 2*time.Second)
	defer cancel()
	checks := gin.H{}
	ok := true
	if err := h.db.Ping(ctx); err != nil {
		checks["database"] = "unreachable: " + err.Error()
		ok = false
	} else {
		checks["database"] = "ok"
	}
	if cat, _ := h.catalog.Catalog(); cat == nil || len(cat.Lessons) == 0 {
		checks["content"] = "not loaded"
		ok = false
	} else {
		checks["content"] = "ok"
	}
	status := http.StatusOK
	if !ok {
		status = http.StatusServiceUnavailable
	}
	c.JSON(status, gin.H{"ready": ok, "checks": checks, "version": h.version})
}
