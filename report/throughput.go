package report

import (
	"time"

	"b2h/state"
)

// maxBuckets bounds the throughput chart's bars.
const maxBuckets = 60

// bucketSteps are the bucket widths the chart may use, in seconds.
var bucketSteps = []int{1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 14400, 21600, 43200, 86400}

// timeline counts events per second from the job's start, then folds the
// seconds into at most maxBuckets buckets.
type timeline struct {
	start  time.Time
	spanS  int // the job's duration, so the chart covers it all
	writes map[int]int
	assoc  map[int]int
	issues map[int]int
	last   int
	any    bool
}

func newTimeline(j state.Job) *timeline {
	return &timeline{start: j.StartedAt, spanS: int(jobDuration(j)), writes: map[int]int{}, assoc: map[int]int{},
		issues: map[int]int{}}
}

// second is t's whole seconds after the start (events before it count at 0).
func (tl *timeline) second(t time.Time) int {
	s := max(int(t.Sub(tl.start)/time.Second), 0)
	tl.last = max(tl.last, s)
	tl.any = true
	return s
}

func (tl *timeline) written(t time.Time)    { tl.writes[tl.second(t)]++ }
func (tl *timeline) associated(t time.Time) { tl.assoc[tl.second(t)]++ }

func (tl *timeline) issue(t time.Time) {
	if t.IsZero() {
		return
	}
	tl.issues[tl.second(t)]++
}

// result folds the seconds into buckets of a step that keeps the chart
// within maxBuckets bars.
func (tl *timeline) result() Throughput {
	if !tl.any {
		return Throughput{Points: []ThroughputPoint{}}
	}
	span := max(tl.last+1, tl.spanS)
	step := bucketSteps[len(bucketSteps)-1]
	for _, s := range bucketSteps {
		if (span+s-1)/s <= maxBuckets {
			step = s
			break
		}
	}
	n := max((span+step-1)/step, 1)
	pts := make([]ThroughputPoint, n)
	for i := range pts {
		pts[i].OffsetS = i * step
	}
	at := func(sec int) *ThroughputPoint { return &pts[min(sec/step, n-1)] }
	for s, c := range tl.writes {
		at(s).Written += c
	}
	for s, c := range tl.assoc {
		at(s).Associated += c
	}
	for s, c := range tl.issues {
		at(s).Issues += c
	}
	return Throughput{BucketS: step, Points: pts}
}
