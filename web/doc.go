// Package web is authlab's HTTP layer: a gin engine built by NewServer with
// its middleware listed explicitly, every route in routes.go, thin handlers
// that decode a request, call a domain package (lessons, quiz, interview,
// sandbox, progress) and render a typed page.
//
// Handlers are grouped by feature into small types (courseHandlers,
// lessonProgressHandlers, quizHandlers, interviewHandlers, authHandlers,
// accountHandlers, apiHandlers, labHandlers, healthHandlers), built in
// routes.go or NewServer. Each embeds the page kernel (kernel.go:
// templates, the base page, error pages, forms, fetch fragments, the
// session and its flash, and the middleware that needs them) and holds
// only what it uses, the store behind a narrow interface declared beside
// it. learnerProgress reads what the course map and the lab pages show
// (the rules are lessons' and sandbox's). Server is the composition root:
// the shared dependencies and the engine; the workshop handlers are still
// its methods.
//
// Pages are html/template files embedded from templates/, parsed once at
// start and rendered into a buffer before anything is written, so a
// template error becomes a clean 500 page, never half a 200 page. Static
// files are embedded from static/ and served under a content-hash URL with
// a year-long cache lifetime (the table of them is package asset's);
// scripts import the shared modules (common.js, lab_kit.js) by name
// through the layout's import map, the one inline script, which the
// Content-Security-Policy allows by its hash. In dev mode over a
// directory on disk (Deps.Files, --web), both are read again on the
// first request after a file changes (pageset.Loader, render.go).
//
// A lesson page is the same for every visitor without a session, so it is
// rendered once per course version and served from memory (pagecache.go).
// For a viewer it is composed: what differs between viewers is in
// templates named "personal:…", the rest of the page is a frame rendered
// once, and a request renders only the personal parts into its slots
// (package pageset; compose.go, lesson_compose.go). A request the lab
// plane answers trusts the owner it looked up in the site session for a
// few seconds (lab_owner.go).
//
// The site's own auth (sign-in sessions, API tokens) lives here, in
// siteauth and in progress; the deliberately weak lab plane is sandbox's,
// built by run and mounted under /lab. Nothing issued by one plane is
// accepted by the other.
package web
