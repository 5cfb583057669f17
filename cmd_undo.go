package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/charmbracelet/x/term"
	"github.com/spf13/cobra"

	"b2h/internal/termsafe"
	"b2h/sync"
)

type undoFlags struct {
	job                  string
	dryRun, yes, jsonOut bool
}

// newUndoCmd is `b2h undo --job ID` (DESIGN.md §6).
func newUndoCmd(g *globals) *cobra.Command {
	f := &undoFlags{}
	cmd := &cobra.Command{
		Use:   "undo --job ID",
		Short: "Reverse a job: archive what it created, restore what it overwrote, where untouched since",
		Long: `Undo reverses one job. Records the job created are archived (HubSpot keeps
archived records in its recycle bin for 90 days), values it overwrote are
restored and associations it made, relabelled or removed are put back, but
only where HubSpot still holds what the job wrote: a value someone edited
afterwards, or a later job changed, is kept and reported. The schema b2h
created (the buildium property group and properties, the unit object, the
association labels) stays.

Undo always plans first (the same code path, reading HubSpot, writing
nothing), prints the plan and asks for confirmation (or --yes). --dry-run
stops after the plan. An interrupted undo is finished by running it again.
Afterwards the next sync re-reads the undone records and, since Buildium
still has them, writes them again: pause scheduled syncs first if that is
not what you want.

Exit codes: 0 everything reversed; 1 fatal; 2 usage (no --job, unknown job,
not confirmed); 3 done, but some records were kept (changed since the job)
or errored; 4 paused (daily limit, interrupt): run it again to finish.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return runUndo(cmd, g, f) },
	}
	fl := cmd.Flags()
	fl.StringVar(&f.job, "job", "", "the id of the job to undo (b2h state inspect lists the recent jobs)")
	fl.BoolVar(&f.dryRun, "dry-run", false, "print the plan only: nothing is written")
	fl.BoolVar(&f.yes, "yes", false, "do not ask for confirmation after the plan")
	fl.BoolVar(&f.jsonOut, "json", false, "print JSON Lines: undo_item lines, then undo_plan and undo_summary")
	return cmd
}

func runUndo(cmd *cobra.Command, g *globals, f *undoFlags) error {
	if strings.TrimSpace(f.job) == "" {
		return usageErr("undo needs --job ID: the job to undo (b2h state inspect lists the recent jobs)")
	}
	if err := demoHasNoHubSpot(g, "undo"); err != nil {
		return err
	}
	s, err := openSession(g, cmd.ErrOrStderr())
	if err != nil {
		return err
	}
	defer s.Close()
	pr := &undoPrinter{w: cmd.OutOrStdout(), json: f.jsonOut}
	if !f.jsonOut {
		fmt.Fprintf(pr.w, "undo plan for job %s (nothing is written yet):\n", f.job)
	}
	plan, err := sync.Undo(cmd.Context(), s.hs, s.st, sync.UndoOptions{JobID: f.job, DryRun: true, Logger: s.logger,
		OnItem: func(it sync.UndoItem) { pr.item(it, true) }})
	if err != nil {
		return undoExit(plan, err)
	}
	pr.summary(plan)
	if f.dryRun {
		return undoExit(plan, nil)
	}
	if plan.Changes == 0 {
		if !f.jsonOut {
			fmt.Fprintln(pr.w, "nothing left to undo")
		}
		return undoExit(plan, nil)
	}
	if !f.yes {
		prompt := fmt.Sprintf("Undo job %s: change %d records and associations in the HubSpot account behind HUBSPOT_ACCESS_TOKEN (%d kept, %d errored)? [y/N] ",
			f.job, plan.Changes, plan.Kept, plan.Errored)
		if err := confirmUndo(cmd.InOrStdin(), cmd.ErrOrStderr(), prompt); err != nil {
			return err
		}
	}
	rep, err := sync.Undo(cmd.Context(), s.hs, s.st, sync.UndoOptions{JobID: f.job, Logger: s.logger,
		OnItem: func(it sync.UndoItem) { pr.item(it, false) }})
	pr.summary(rep)
	return undoExit(rep, err)
}

// undoExit maps an undo's outcome to the exit codes of its help text.
func undoExit(rep sync.UndoReport, err error) error {
	var refused *sync.UndoRefusedError
	switch {
	case errors.As(err, &refused), err != nil && errors.Is(err, sync.ErrConfig):
		return &exitError{code: exitUsage, msg: err.Error()}
	case rep.Status == sync.StatusPaused || rep.Status == sync.StatusCancelled:
		return &exitError{code: exitPaused, msg: rep.Error}
	case err != nil:
		return &exitError{code: exitFatal, msg: err.Error()}
	case rep.Kept+rep.Errored > 0:
		return exitWith(exitPartial)
	}
	return nil
}

// confirmUndo asks on a terminal; on a file that is not one it is a usage
// error. Another reader (a test) answers the question itself.
func confirmUndo(in io.Reader, prompt io.Writer, question string) error {
	if f, ok := in.(*os.File); ok && !term.IsTerminal(f.Fd()) {
		// cron, systemd, a pipe or /dev/null: nobody can answer.
		return usageErr("undo needs confirmation: run it in a terminal, or add --yes after reading the plan")
	}
	fmt.Fprint(prompt, question)
	line, _ := bufio.NewReader(in).ReadString('\n')
	if a := strings.ToLower(strings.TrimSpace(line)); a != "y" && a != "yes" {
		return &exitError{code: exitUsage, msg: "cancelled: nothing was undone"}
	}
	return nil
}

// undoPrinter prints undo items and summaries as text or JSON Lines.
type undoPrinter struct {
	w    io.Writer
	json bool
}

// item prints one record's plan (every item) or outcome (text: only what
// was kept or errored; the plan listed the rest).
func (p *undoPrinter) item(it sync.UndoItem, plan bool) {
	if p.json {
		p.event("undo_item", it, map[string]any{"phase": map[bool]string{true: "plan", false: "undo"}[plan]})
		return
	}
	if !plan && it.Outcome == sync.UndoReversed {
		return
	}
	verb := it.Outcome
	if plan {
		verb = map[string]string{sync.UndoReversed: "reverse", sync.UndoKept: "keep", sync.UndoErrored: "error"}[it.Outcome]
	}
	line := fmt.Sprintf("  %-8s %-11s %s %s (HubSpot %s %s)", verb, it.Undo, it.Kind, it.SourceID, it.HubSpotType, it.HubSpotID)
	if len(it.Fields) > 0 && it.Outcome != sync.UndoErrored {
		line += " restore " + strings.Join(it.Fields, ", ")
	}
	if !it.Changes && it.Outcome == sync.UndoReversed {
		line += " (already as before)"
	}
	if it.Reason != "" {
		line += ": " + it.Reason
	}
	fmt.Fprintln(p.w, sanitizeLine(line))
}

// summary prints a plan's or an undo's totals and what the person should know.
func (p *undoPrinter) summary(r sync.UndoReport) {
	if p.json {
		p.event(map[bool]string{true: "undo_plan", false: "undo_summary"}[r.DryRun], r, nil)
		return
	}
	if r.DryRun {
		fmt.Fprintf(p.w, "plan: %d to reverse (%d need a change), %d to keep, %d errors\n", r.Reversed, r.Changes, r.Kept, r.Errored)
	} else {
		fmt.Fprintf(p.w, "undo job %s of job %s %s: %d reversed, %d kept, %d errored\n", r.JobID, r.UndoOf, r.Status, r.Reversed, r.Kept, r.Errored)
	}
	if len(r.PriorUndos) > 0 {
		fmt.Fprintf(p.w, "job %s was undone before (%s): this run finishes what is left\n", r.UndoOf, strings.Join(r.PriorUndos, ", "))
	}
	if len(r.SchemaKept) > 0 {
		fmt.Fprintf(p.w, "left in place (b2h's HubSpot schema; remove it in HubSpot's settings if no longer wanted): %s\n", strings.Join(r.SchemaKept, "; "))
	}
	if len(r.Rewound) > 0 {
		kinds := make([]string, len(r.Rewound))
		for i, k := range r.Rewound {
			kinds[i] = string(k)
		}
		fmt.Fprintf(p.w, "the next sync re-reads %s and writes the undone records again (Buildium still has them): pause scheduled syncs first if that is not what you want\n", strings.Join(kinds, ", "))
	}
	if r.Error != "" {
		fmt.Fprintln(p.w, sanitizeLine(r.Error))
	}
}

// event writes one JSON line: v's fields plus "event" and extra.
func (p *undoPrinter) event(name string, v any, extra map[string]any) {
	b, err := json.Marshal(v)
	if err != nil {
		return
	}
	m := map[string]any{}
	if json.Unmarshal(b, &m) != nil {
		return
	}
	m["event"] = name
	for k, x := range extra {
		m[k] = x
	}
	_ = json.NewEncoder(termsafe.JSONWriter(p.w)).Encode(m)
}
