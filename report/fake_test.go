package report_test

import (
	"fmt"

	"b2h/report"
	"b2h/state"
)

// fakeState is an in-memory report.Source, for cases a real sync cannot
// easily produce (hostile text, superseded ledger entries, decisions).
type fakeState struct {
	jobs      []state.Job // oldest first
	ledger    []state.LedgerEntry
	audit     map[string][]state.AuditEntry
	review    []state.ReviewItem
	decisions []state.Decision
	mappings  map[state.Kind]map[string]state.Mapping
}

var _ report.Source = (*fakeState)(nil)

func (f *fakeState) Job(id string) (state.Job, error) {
	for _, j := range f.jobs {
		if j.ID == id {
			return j, nil
		}
	}
	return state.Job{}, fmt.Errorf("job %s: %w", id, state.ErrNotFound)
}

func (f *fakeState) LastJob(mode string) (state.Job, error) {
	for i := len(f.jobs) - 1; i >= 0; i-- {
		if mode == "" || f.jobs[i].Mode == mode {
			return f.jobs[i], nil
		}
	}
	return state.Job{}, fmt.Errorf("job: %w", state.ErrNotFound)
}

func (f *fakeState) ForEachLedger(kind state.Kind, fn func(state.LedgerEntry) error) error {
	for _, e := range f.ledger {
		if kind == "" || e.Kind == kind {
			if err := fn(e); err != nil {
				return err
			}
		}
	}
	return nil
}

func (f *fakeState) Audit(jobID string, fn func(state.AuditEntry) error) error {
	for _, a := range f.audit[jobID] {
		if err := fn(a); err != nil {
			return err
		}
	}
	return nil
}

func (f *fakeState) ReviewItems(status string) ([]state.ReviewItem, error) {
	var out []state.ReviewItem
	for _, r := range f.review {
		if status == "" || r.Status == status {
			out = append(out, r)
		}
	}
	return out, nil
}

func (f *fakeState) Decisions() ([]state.Decision, error) { return f.decisions, nil }

func (f *fakeState) MappingsByKey(kind state.Kind, ids []string) (map[string]state.Mapping, error) {
	out := map[string]state.Mapping{}
	for _, id := range ids {
		if m, ok := f.mappings[kind][id]; ok {
			out[id] = m
		}
	}
	return out, nil
}
