// Package quiz is the course's question engine: pure domain code with no
// HTTP, storage or other authlab package.
//
// The model:
//
//   - A Question is one `quiz` fenced block of a lesson or interview page
//     (see docs/content.md), parsed strictly by ParseBlock. Every error is an
//     *Error with the file and the lesson line of the offending field.
//     Text fields are Markdown, rendered once at parse time into *HTML
//     fields; raw HTML is shown as text, never passed through. NewChoice
//     builds a single or multi question from plain values (a workshop
//     round written on the spot) under the same rules as the parser.
//   - Each choice, order item and match side has a Key: a short hash of
//     the question id and its text. Forms and answers use keys, never
//     indexes, so form values say nothing about which option is right.
//   - Public is the only view of a question a browser gets before it
//     answers: options shuffled per learner (Seed), no answer data.
//     ParseForm reads an Answer from the fields a quiz form posts (fuzzed:
//     the fields are untrusted), and an Answer is also what is stored, as
//     JSON. Grade scores it (with partial credit for multi, order and
//     match — each choice, place or pair judged — and self-assessment for
//     open) and returns the feedback that may then be shown, with the
//     Tally it counted, from which Result.Summary says the partial score
//     in a sentence; Reveal gives the full solution after an attempt.
//   - A Bank holds every question by id; Select filters it and Drill
//     draws a practice set that avoids recently seen questions.
//   - A Card schedules one question for one learner by SM-2; RatingFor
//     turns a graded Result into a Rating, DueQueue lists what is due.
//
// Nothing here keeps state between calls: callers pass in the clock, the
// random source and the learner's history.
package quiz
