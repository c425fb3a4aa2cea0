package live

import (
	"context"
	"encoding/json"
	"testing"
)

// BenchmarkFanOut300 publishes one histogram-sized event to 300
// subscribers (a full room), against a baseline of the same sends on
// 300 bare channels: the ratio is what the hub itself costs.
func BenchmarkFanOut300(b *testing.B) {
	const room = 300
	data := json.RawMessage(`{"id":"0123456789abcdef0123456789abcdef","counts":{"a":120,"b":80,"c":60,"d":40}}`)
	ev := Event{Topic: "workshop:x", Name: "closed", Data: data}
	b.Run("baseline-channels", func(b *testing.B) {
		chans := make([]chan Event, room)
		for i := range chans {
			chans[i] = make(chan Event, 1)
		}
		b.ReportAllocs()
		for b.Loop() {
			for _, c := range chans {
				c <- ev
			}
			for _, c := range chans {
				<-c
			}
		}
	})
	b.Run("local-hub", func(b *testing.B) {
		h := NewLocal()
		defer h.Close()
		subs := make([]*Subscription, room)
		for i := range subs {
			subs[i] = h.Subscribe("workshop:x")
		}
		ctx := context.Background()
		b.ReportAllocs()
		for b.Loop() {
			h.Publish(ctx, ev)
			for _, s := range subs {
				<-s.C
			}
		}
	})
}
