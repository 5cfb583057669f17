package tui

import (
	"fmt"
	"testing"

	tea "charm.land/bubbletea/v2"
)

// BenchmarkReviewScroll measures one key press on the Review list of 5,000
// conflicts: Update with ↓ (↑ on the way back) and the View of the whole
// frame, as the program does per key. Only the rows on screen are drawn, so
// the cost does not grow with the queue.
func BenchmarkReviewScroll(b *testing.B) {
	for _, sz := range []struct{ w, h int }{{80, 24}, {200, 50}} {
		b.Run(fmt.Sprintf("%dx%d", sz.w, sz.h), func(b *testing.B) {
			d := testDeps(b)
			if err := d.Store.Commit(stateBatchOf(manyConflicts(b, 5000))); err != nil {
				b.Fatal(err)
			}
			m := connected(b, newTestModel(b, d, sz.w, sz.h), "")
			m, cmd := send(m, goTo(scrReview))
			m, _ = send(m, cmd())
			if len(m.review.entries) != 5000 {
				b.Fatalf("%d entries", len(m.review.entries))
			}
			down, up := kp("down"), kp("up")
			var model tea.Model = m
			dir := down
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				switch m.review.cursor {
				case 0:
					dir = down
				case 4999:
					dir = up
				}
				model, _ = model.Update(dir)
				_ = model.View()
			}
		})
	}
}
