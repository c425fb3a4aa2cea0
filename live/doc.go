// Package live carries workshop events from the request that causes them
// (an attendee joins, answers, the instructor starts a round) to every
// open event stream of that workshop.
//
// A Hub fans events out by topic. Local does it in process; Redis sends
// every event through one Redis pub/sub channel and each replica fans it
// out to its own subscribers, so attendees on different replicas share
// one live room. An Event is a notification with a small JSON payload:
// the state itself lives in the database, and a subscriber that falls
// behind is told to resync rather than being sent a backlog.
//
// The package also holds the Clock that round timers run on, so tests
// move time instead of sleeping. It imports no gin and no gorm.
package live
