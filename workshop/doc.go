// Package workshop is the rules of a live workshop, the course run by an
// instructor for a room: who may do what, rounds and their timers,
// closing and revealing, scoring and the leaderboard, the instructor's
// board and its statistics, pacing (locks, "bring everyone here", the
// question queue), the room-wide lab moment, the results and the CSV
// export.
//
// An Engine holds a replica's live side: the Store it reads and writes
// through (a narrow interface that *progress.Store satisfies, so the
// state is shared by every replica), the live.Hub that carries events to
// the room's open streams, and the live.Clock rounds run on (a
// live.ManualClock in tests: no test sleeps). Each operation takes what
// the request named, already parsed (a workshop, a participant, form
// values as text), applies the rules, writes, publishes the event the
// room sees, and returns a value to render. A refusal is an *Error whose
// Kind the HTTP layer turns into a status and whose Msg it shows as is.
//
// The computations themselves (ranking with ties, the podium, the
// board's statistics and the lab moment's tally, a round's histogram,
// results, CSV rows, the join URL) are plain functions of loaded data,
// tested without a database. The lab moment's tally is read from the
// attendees' labs on the server (a LabState, the sandbox's Manager):
// what an attendee's page reports adds detail and never a count.
//
// Why a package of its own rather than more of live: live is transport
// (a hub of topics and a clock) and knows nothing of workshops; this
// package is what those events mean. It imports neither gin nor gorm
// (TestDependencyRules); web parses requests, calls it and renders.
package workshop
