package web

import (
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"
)

// routes lists every route of the site in one place.
func (s *Server) routes() {
	e := s.engine
	interview := newInterviewHandlers(s.kernel, s.store)
	quizzes := &quizHandlers{kernel: s.kernel, store: s.store}
	course := &courseHandlers{kernel: s.kernel, store: s.store, quizzes: quizzes, progress: s.progress, mastery: interview.practice}
	lessonProgress := &lessonProgressHandlers{kernel: s.kernel, store: s.store}
	quizzes.showLesson = course.lesson
	auth := &authHandlers{kernel: s.kernel, store: s.store, check: s.check, hasher: s.hasher, devices: s.devices,
		signupByAddr: s.signupByAddr, setup: s.setup}
	account := &accountHandlers{kernel: s.kernel, store: s.store, check: s.check, hasher: s.hasher, devices: s.devices, progress: s.progress}
	api := &apiHandlers{kernel: s.kernel, store: s.store, check: s.check, issuer: s.issuer, keys: s.keys}
	health := &healthHandlers{db: s.db, catalog: s.catalog, version: s.version}
	ws := &workshopHandlers{kernel: s.kernel, ws: s.ws, store: s.store, baseURL: s.baseURL, secure: s.secure}

	// Operations.
	e.GET("/healthz", health.healthz)
	e.GET("/readyz", health.readyz)

	// Static files, under a content hash.
	e.GET("/static/:hash/*name", func(c *gin.Context) { s.render.serveAsset(c.Writer, c.Request, c.Param("hash"), c.Param("name")) })
	e.HEAD("/static/:hash/*name", func(c *gin.Context) { s.render.serveAsset(c.Writer, c.Request, c.Param("hash"), c.Param("name")) })

	// The course.
	e.GET("/", course.home)
	e.GET("/lessons/:slug", course.lesson)
	e.GET("/glossary", course.glossary)
	e.POST("/lessons/:slug/complete", lessonProgress.markComplete)
	e.POST("/lessons/:slug/reset", lessonProgress.resetLesson)
	e.POST("/lessons/:slug/visit", lessonProgress.recordVisit)

	// Quizzes.
	e.POST("/lessons/:slug/quiz/:id", quizzes.quizAnswer)
	e.GET("/lessons/:slug/quiz/:id/answer", quizzes.quizSolution)
	e.GET("/review", quizzes.review)

	// Interview mode.
	e.GET("/interview", interview.home)
	e.GET("/interview/drill", interview.startDrill)
	e.GET("/interview/mock", interview.startMock)
	e.GET("/interview/due", interview.startDue)
	e.GET("/modules/:n/check", interview.startModuleCheck)
	e.GET("/interview/practice", interview.showPractice)
	e.POST("/interview/practice/answer", interview.answerPractice)
	e.GET("/interview/summary", interview.practiceSummary)
	e.GET("/interview/stats", interview.interviewStats)
	e.GET("/interview/cheatsheet", interview.cheatsheet)

	// The site's own auth: session cookies for browsers.
	e.GET("/signup", auth.signupForm)
	e.POST("/signup", auth.signup)
	e.GET("/signin", auth.signinForm)
	e.POST("/signin", auth.signin)
	e.GET("/signout", auth.signoutForm)
	e.POST("/signout", auth.signout)
	e.GET("/setup/:token", auth.setupForm) // the first instructor, on a fresh install
	e.POST("/setup/:token", auth.setupCreate)
	e.GET("/account/sessions", account.sessionsList)
	e.POST("/account/sessions/:handle/revoke", account.revokeSession)
	e.POST("/account/sessions/revoke-others", account.revokeOthers)
	e.POST("/account/sessions/api/:handle/revoke", account.revokeAPISession) // API sign-ins: refresh families
	e.GET("/account/password", account.passwordForm)
	e.POST("/account/password", account.changePassword)
	e.GET("/account/export", account.exportData)
	e.POST("/account/delete", account.deleteAccount)

	// The lab plane: each learner's own sandbox.
	e.POST("/lab", s.lab.createLab)
	e.Any("/lab/*rest", s.lab.labRoute)

	// Workshops.
	e.GET("/workshops", ws.workshopsList)
	e.POST("/workshops", ws.createWorkshop)
	e.POST("/workshops/instructors", ws.promoteInstructor)
	e.GET("/workshops/:id", ws.workshopBoard)
	e.GET("/workshops/:id/lobby", ws.workshopLobby)
	e.GET("/workshops/:id/present", ws.workshopPresent)
	e.GET("/workshops/:id/board.json", ws.workshopBoardJSON)
	e.GET("/workshops/:id/events", ws.boardEvents)
	e.POST("/workshops/:id/rounds", ws.startRound)
	e.POST("/workshops/:id/rounds/:round/close", ws.endRound)
	e.POST("/workshops/:id/rounds/:round/reveal", ws.revealRound)
	e.POST("/workshops/:id/podium", ws.podium)
	e.POST("/workshops/:id/queue", ws.queueLesson)
	e.POST("/workshops/:id/lock", ws.lockLesson)
	e.POST("/workshops/:id/labs/revoke", ws.revokeRoomLabs)
	e.POST("/workshops/:id/labs/denylist", ws.denylistRoomLabs)
	e.POST("/workshops/:id/focus", ws.focusRoom)
	e.POST("/workshops/:id/participants/:pid/rename", ws.renameParticipant)
	e.POST("/workshops/:id/participants/:pid/remove", ws.removeParticipant)
	e.POST("/workshops/:id/participants/:pid/readmit", ws.readmitParticipant)
	e.POST("/workshops/:id/end", ws.endWorkshop)
	e.GET("/workshops/:id/results", ws.workshopResults)
	e.GET("/workshops/:id/export.csv", ws.workshopCSV)
	e.GET("/join", ws.joinForm)
	e.POST("/join", ws.joinCode)
	e.GET("/w/:code", ws.workshopHome)
	e.POST("/w/:code/join", ws.joinWorkshop)
	e.GET("/w/:code/join", ws.joinWorkshopAgain) // the address left after a failed join
	e.GET("/w/:code/state.json", ws.workshopState)
	e.GET("/w/:code/events", ws.attendeeEvents)
	e.GET("/w/:code/qr.png", ws.workshopQR)
	e.POST("/w/:code/answer", ws.answerRound)
	e.POST("/w/:code/activity", ws.workshopActivity)
	e.POST("/w/:code/labcheck", ws.labCheck)

	// The API: JWT access tokens and rotating refresh tokens.
	e.GET("/.well-known/jwks.json", api.jwks)
	e.GET("/api/v1/openapi.json", openAPI)
	e.POST("/api/v1/token", api.apiToken)
	e.POST("/api/v1/token/refresh", api.apiRefresh)
	bearer := e.Group("/api/v1", api.bearer())
	bearer.POST("/logout", api.apiLogout)
	bearer.GET("/me", api.apiMe)
	bearer.DELETE("/me", account.apiDeleteAccount)
	e.GET("/api/v1/lessons", api.apiLessons) // the outline is public, like the lessons
	bearer.GET("/progress", api.apiProgress)

	e.NoRoute(func(c *gin.Context) {
		if strings.HasPrefix(c.Request.URL.Path, "/api/") {
			// A client of the API reads JSON, and the course map is no help to it.
			apiError(c, http.StatusNotFound, "not_found", "There is no API endpoint at "+c.Request.URL.Path+". /api/v1/openapi.json lists every one.")
			return
		}
		s.problem(c, http.StatusNotFound, "There is no page at "+c.Request.URL.Path+". The course map on the home page lists every lesson.")
	})
	e.NoMethod(func(c *gin.Context) {
		s.problem(c, http.StatusMethodNotAllowed, c.Request.Method+" is not allowed on "+c.Request.URL.Path+".")
	})
}
