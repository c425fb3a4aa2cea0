package web

import (
	"net/http"

	"github.com/gin-gonic/gin"
)

// routes lists every route of the site in one place.
func (s *Server) routes() {
	e := s.engine
	interview := newInterviewHandlers(s.kernel, s.store)
	quizzes := &quizHandlers{kernel: s.kernel, store: s.store, practice: interview.practice}
	course := &courseHandlers{kernel: s.kernel, store: s.store, quizzes: quizzes, progress: s.progress, mastery: interview.practice}
	lessonProgress := &lessonProgressHandlers{kernel: s.kernel, store: s.store}
	quizzes.showLesson = course.lesson
	auth := &authHandlers{kernel: s.kernel, store: s.store, check: s.check, hasher: s.hasher, devices: s.devices,
		signupByAddr: s.signupByAddr, setup: s.setup}
	account := &accountHandlers{kernel: s.kernel, store: s.store, check: s.check, hasher: s.hasher, devices: s.devices, progress: s.progress}
	api := &apiHandlers{kernel: s.kernel, store: s.store, check: s.check, issuer: s.issuer, keys: s.keys}
	health := &healthHandlers{db: s.db, catalog: s.catalog, version: s.version}

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
	e.GET("/workshops", s.workshopsList)
	e.POST("/workshops", s.createWorkshop)
	e.POST("/workshops/instructors", s.promoteInstructor)
	e.GET("/workshops/:id", s.workshopBoard)
	e.GET("/workshops/:id/lobby", s.workshopLobby)
	e.GET("/workshops/:id/board.json", s.workshopBoardJSON)
	e.GET("/workshops/:id/events", s.boardEvents)
	e.POST("/workshops/:id/rounds", s.startRound)
	e.POST("/workshops/:id/rounds/:round/close", s.endRound)
	e.POST("/workshops/:id/rounds/:round/reveal", s.revealRound)
	e.POST("/workshops/:id/podium", s.podium)
	e.POST("/workshops/:id/queue", s.queueLesson)
	e.POST("/workshops/:id/lock", s.lockLesson)
	e.POST("/workshops/:id/labs/revoke", s.revokeRoomLabs)
	e.POST("/workshops/:id/labs/denylist", s.denylistRoomLabs)
	e.POST("/workshops/:id/focus", s.focusRoom)
	e.POST("/workshops/:id/participants/:pid/rename", s.renameParticipant)
	e.POST("/workshops/:id/participants/:pid/remove", s.removeParticipant)
	e.POST("/workshops/:id/participants/:pid/readmit", s.readmitParticipant)
	e.POST("/workshops/:id/end", s.endWorkshop)
	e.GET("/workshops/:id/results", s.workshopResults)
	e.GET("/workshops/:id/export.csv", s.workshopCSV)
	e.GET("/join", s.joinForm)
	e.POST("/join", s.joinCode)
	e.GET("/w/:code", s.workshopHome)
	e.POST("/w/:code/join", s.joinWorkshop)
	e.GET("/w/:code/join", s.joinWorkshopAgain) // the address left after a failed join
	e.GET("/w/:code/state.json", s.workshopState)
	e.GET("/w/:code/events", s.attendeeEvents)
	e.GET("/w/:code/qr.png", s.workshopQR)
	e.POST("/w/:code/answer", s.answerRound)
	e.POST("/w/:code/activity", s.workshopActivity)
	e.POST("/w/:code/labcheck", s.labCheck)

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
		s.problem(c, http.StatusNotFound, "There is no page at "+c.Request.URL.Path+". The course map on the home page lists every lesson.")
	})
	e.NoMethod(func(c *gin.Context) {
		s.problem(c, http.StatusMethodNotAllowed, c.Request.Method+" is not allowed on "+c.Request.URL.Path+".")
	})
}
