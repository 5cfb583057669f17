// Command b2h migrates a property company's data from Buildium into HubSpot
// CRM and keeps it in step: tenants become contacts, rental properties
// become listings, units become a custom `unit` object (or listings), leases
// become labelled associations and emergency contacts become associated
// contacts.
//
// main wires everything: flags and commands → clients, state, the sync
// engine, and the TUI or the plain/JSON printers. See DESIGN.md §6 for the
// command-line contract.
package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"runtime/pprof"
	"strings"
	"syscall"
	"time"

	"b2h/internal/termsafe"
)

// Exit codes (DESIGN.md §6).
const (
	exitOK       = 0 // done
	exitFatal    = 1 // fatal error
	exitUsage    = 2 // usage or configuration error
	exitPartial  = 3 // done with record-level failures or open review items
	exitPaused   = 4 // paused (daily limit, interrupt) and resumable
	exitInternal = exitFatal
)

// Build information, set by -ldflags at release time.
var (
	version = "dev"
	commit  = ""
	date    = ""
)

// memoryLimit is the Go heap's soft limit unless GOMEMLIMIT says otherwise:
// the engine streams, so a busy collector near the limit costs little and
// keeps a 100,000-tenant sync well inside the memory of a small laptop.
const memoryLimit = 140 << 20

// gcPercent is GOGC unless the environment sets it. Under memoryLimit the
// heap may grow to three times what is live before a collection, not two:
// a full sync of 100,000 tenants then collects about 70 times instead of
// 90 (the collector was a sixth of its CPU), and its peak resident set is
// no larger, for the limit, lowered with it, decides that peak.
const gcPercent = 200

func main() {
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(memoryLimit)
	}
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(gcPercent)
	}
	if path := os.Getenv("B2H_CPUPROFILE"); path != "" {
		// For `make bench` profiles: where the time goes.
		if f, err := os.Create(path); err == nil {
			if pprof.StartCPUProfile(f) == nil {
				defer pprof.StopCPUProfile()
			}
		}
	}
	stopMem := startMemProfile(os.Getenv("B2H_MEMPROFILE"))
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:])
	stop()
	pprof.StopCPUProfile()
	stopMem()
	os.Exit(code)
}

// startMemProfile, for benchmarks (B2H_MEMPROFILE=PATH), samples memory
// every 250 ms and writes a heap profile to PATH whenever the live heap
// reaches a new high (by 10 %), so PATH shows where the heap went at its
// peak. The returned func stops sampling and prints to stderr the peaks of
// the live heap, of the Go runtime's memory, and of the resident set with,
// at its peak, what was resident (Linux: anonymous memory, the state file's
// mapping, other files such as the binary). An empty path does nothing.
func startMemProfile(path string) (stop func()) {
	if path == "" {
		return func() {}
	}
	samples := []metrics.Sample{{Name: "/gc/heap/live:bytes"}, {Name: "/memory/classes/total:bytes"}}
	var peakLive, peakTotal, written uint64
	var peak [4]uint64 // kB at the highest total: total, anonymous, state file (*.db), other files
	sample := func() {
		metrics.Read(samples)
		live, total := samples[0].Value.Uint64(), samples[1].Value.Uint64()
		peakLive, peakTotal = max(peakLive, live), max(peakTotal, total)
		if now := residentKB(); now[0] > peak[0] {
			peak = now
		}
		if live > written+written/10 {
			if f, err := os.Create(path); err == nil {
				_ = pprof.Lookup("heap").WriteTo(f, 0)
				_ = f.Close()
				written = live
			}
		}
	}
	done, finished := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(finished)
		t := time.NewTicker(250 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
				sample()
			}
		}
	}()
	return func() {
		close(done)
		<-finished
		runtime.GC()
		sample()
		// PATH.end: the heap profile at exit, whose alloc_space and
		// alloc_objects cover the whole run (PATH's stop at the peak).
		if f, err := os.Create(path + ".end"); err == nil {
			_ = pprof.Lookup("heap").WriteTo(f, 0)
			_ = f.Close()
		}
		fmt.Fprintf(os.Stderr, "b2h: peak live heap %.1f MiB, peak Go memory %.1f MiB, peak RSS %.1f MiB (anonymous %.1f, state file %.1f, other files %.1f)\n",
			float64(peakLive)/(1<<20), float64(peakTotal)/(1<<20), float64(peak[0])/1024, float64(peak[1])/1024, float64(peak[2])/1024, float64(peak[3])/1024)
		// Totals that vary little between identical runs (CPU time does, on
		// a shared machine): what to compare when a change is small.
		gc := []metrics.Sample{{Name: "/gc/heap/allocs:bytes"}, {Name: "/gc/heap/allocs:objects"}, {Name: "/gc/cycles/total:gc-cycles"},
			{Name: "/cpu/classes/gc/total:cpu-seconds"}, {Name: "/cpu/classes/user:cpu-seconds"}}
		metrics.Read(gc)
		fmt.Fprintf(os.Stderr, "b2h: allocated %.2f GiB in %.1f M objects, %d GC cycles, GC %.1f CPU-s, user code %.1f CPU-s\n",
			float64(gc[0].Value.Uint64())/(1<<30), float64(gc[1].Value.Uint64())/1e6, gc[2].Value.Uint64(), gc[3].Value.Float64(), gc[4].Value.Float64())
	}
}

// residentKB sums the Rss of /proc/self/smaps: total, anonymous, mappings
// of *.db files (the state), and other files (zeros where there is none).
func residentKB() (kb [4]uint64) {
	b, err := os.ReadFile("/proc/self/smaps")
	if err != nil {
		return kb
	}
	class := 1
	for _, ln := range strings.Split(string(b), "\n") {
		f := strings.Fields(ln)
		switch {
		case len(f) >= 5 && strings.Contains(f[0], "-") && !strings.HasSuffix(f[0], ":"): // a mapping's header
			class = 1
			if len(f) >= 6 && strings.HasPrefix(f[5], "/") {
				class = 3
				if strings.HasSuffix(f[5], ".db") {
					class = 2
				}
			}
		case len(f) == 3 && f[0] == "Rss:":
			var n uint64
			_, _ = fmt.Sscan(f[1], &n)
			kb[0] += n
			kb[class] += n
		}
	}
	return kb
}

// run executes the command line and maps the outcome to an exit code.
func run(ctx context.Context, args []string) int {
	root := newRootCmd()
	root.SetArgs(args)
	err := root.ExecuteContext(ctx)
	if err == nil {
		return exitOK
	}
	var ee *exitError
	if errors.As(err, &ee) {
		if ee.msg != "" {
			fmt.Fprintln(os.Stderr, "b2h:", termsafe.Text(ee.msg))
		}
		return ee.code
	}
	fmt.Fprintln(os.Stderr, "b2h:", termsafe.Text(err.Error()))
	return exitFatal
}

// exitError carries an exit code out of a command. An empty msg means the
// command already told the person what happened.
type exitError struct {
	code int
	msg  string
}

func (e *exitError) Error() string { return e.msg }

// usageErr is a usage or configuration error (exit 2).
func usageErr(format string, a ...any) error {
	return &exitError{code: exitUsage, msg: fmt.Sprintf(format, a...)}
}

// exitWith returns an error that only sets the exit code.
func exitWith(code int) error {
	if code == exitOK {
		return nil
	}
	return &exitError{code: code}
}
