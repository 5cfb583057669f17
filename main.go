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
	"runtime/debug"
	"runtime/pprof"
	"syscall"
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
const memoryLimit = 150 << 20

func main() {
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(memoryLimit)
	}
	if path := os.Getenv("B2H_CPUPROFILE"); path != "" {
		// For `make bench` profiles: where the time goes.
		if f, err := os.Create(path); err == nil {
			if pprof.StartCPUProfile(f) == nil {
				defer pprof.StopCPUProfile()
			}
		}
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:])
	stop()
	pprof.StopCPUProfile()
	os.Exit(code)
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
			fmt.Fprintln(os.Stderr, "b2h:", ee.msg)
		}
		return ee.code
	}
	fmt.Fprintln(os.Stderr, "b2h:", err)
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
