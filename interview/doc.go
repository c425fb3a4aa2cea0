// Package interview is the interview mode's domain: which questions a
// quick drill, a mock interview or a round of due reviews draws, what a
// run is and how its URL holds it, when an answer is late, how answers
// are stored and read back, the summary of a run, the learner's stats
// (accuracy, streaks, the week's forecast), the review list of every
// answered question (Review), how a run's answer form is graded
// (GradeForm: an open prompt's reveal step and self-rating) and the
// topic vocabulary the course's questions share. It knows nothing of
// HTTP: web parses the request, calls this package and renders what it
// returns.
//
// It lives beside quiz, the question engine it builds on (grading, SM-2
// cards, drawing a practice set), rather than inside it, because it also
// reads the course (lessons: which lesson teaches a question) and the
// learner's history (progress): quiz stays free of both.
//
// A practice run has no table of its own. Starting one picks the
// questions and gives a URL that holds the whole run (Run.URL): its kind,
// a random ID, the question ids in order, the timer and when it started.
// With a timer per question, a question's own URL also holds when it was
// first shown (Run.ShownURL), where its clock starts.
// Each answer is a progress.Attempt with Source "drill" or "mock", stored
// once per run and question (RunKey), whose stored answer carries the
// run's ID (Meta): the run's page and its summary are read back from the
// attempts, and signing up (which merges a guest's attempts and cards
// into the account) keeps everything. Answering also reviews the
// question's SM-2 card.
//
// Service reads and writes through Store, the few progress.Store methods
// it needs. Everything else here is pure: callers pass in the clock, the
// random source and the learner's history.
package interview
