package web

// Answering a live round (the rules: workshop.Engine.Answer).

import (
	"net/http"

	"github.com/gin-gonic/gin"
)

// answerRound (POST /w/:code/answer) records an attendee's answer to the
// open round: round=<id> and choice=<key> (several for multi) or
// choice=true|false. The first answer counts (201); a retry (a reload, a
// dropped connection) gets the same answer back (200). A plain form is
// sent back to the workshop screen.
func (h *workshopHandlers) answerRound(c *gin.Context) {
	w, p, ok := h.attendeeOf(c, true)
	if !ok {
		return
	}
	cat, ok := h.course(c)
	if !ok {
		return
	}
	a, err := h.ws.Answer(c.Request.Context(), cat, w, p, c.PostForm("round"), c.PostFormArray("choice"))
	if !h.wsDone(c, err) {
		return
	}
	if !wantsJSON(c.Request) {
		c.Redirect(http.StatusSeeOther, "/w/"+w.Code)
		return
	}
	status := http.StatusCreated
	if a.Retry {
		status = http.StatusOK
	}
	c.JSON(status, a)
}
