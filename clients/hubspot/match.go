package hubspot

import (
	"context"
	"fmt"
	"strings"
)

// Batch results are matched to the inputs they answer by key, never by
// position: HubSpot does not promise result order, and documents neither a
// trace-id nor a key echo on upsert results. An input is answered by the
// result that echoes its objectWriteTraceId, else the value of its
// IDProperty, else (update by record id) its id; an input named by an error
// (its trace id, or its key or id among the error's context values) failed.

// matchInput is what identifies one input of a batch write.
type matchInput struct {
	trace   string // objectWriteTraceId, or ""
	keyProp string // the unique property the input is keyed by ("" for a record id)
	keyVal  string // its value
	id      string // the record id, when the input names one
}

// batchMatch pairs the results and errors of one batch answer with its
// inputs.
type batchMatch struct {
	in       []matchInput
	res      *BatchResult
	answer   []int  // input → result index, -1 when none
	taken    []bool // result → paired with an input
	named    []bool // input → named by an error
	orphanEr []int  // errors that name no input
}

// normKey is how unique values are compared: trimmed, and case-folded for
// email (HubSpot stores emails in lower case).
func normKey(prop, v string) string {
	v = strings.TrimSpace(v)
	if prop == "email" {
		return strings.ToLower(v)
	}
	return v
}

// newBatchMatch pairs results by echo and errors by what they name.
func newBatchMatch(in []matchInput, res *BatchResult) *batchMatch {
	m := &batchMatch{in: in, res: res, answer: make([]int, len(in)), taken: make([]bool, len(res.Results)), named: make([]bool, len(in))}
	byTrace := make(map[string]int, len(in))
	byKey := map[[2]string]int{}
	byID := map[string]int{}
	var props []string
	for i, x := range in {
		m.answer[i] = -1
		if x.trace != "" {
			byTrace[x.trace] = i
		}
		if x.keyProp != "" {
			byKey[[2]string{x.keyProp, normKey(x.keyProp, x.keyVal)}] = i
			if !contains(props, x.keyProp) {
				props = append(props, x.keyProp)
			}
		}
		if x.id != "" {
			byID[x.id] = i
		}
	}
	pair := func(i, j int) bool {
		if i < 0 || m.answer[i] >= 0 || m.taken[j] {
			return false
		}
		m.answer[i], m.taken[j] = j, true
		return true
	}
	for j, o := range res.Results {
		if i, ok := byTrace[o.ObjectWriteTraceID]; ok && o.ObjectWriteTraceID != "" && pair(i, j) {
			continue
		}
		done := false
		for _, p := range props {
			if v := o.Prop(p); v != "" {
				if i, ok := byKey[[2]string{p, normKey(p, v)}]; ok && pair(i, j) {
					done = true
					break
				}
			}
		}
		if !done && o.ID != "" {
			if i, ok := byID[o.ID]; ok {
				pair(i, j)
			}
		}
	}
	for k := range res.Errors {
		e := &res.Errors[k]
		hit := false
		for _, t := range e.Context["objectWriteTraceId"] {
			if i, ok := byTrace[t]; ok {
				m.named[i], hit = true, true
			}
		}
		if hit {
			continue
		}
		// No trace id: an input whose key, id or trace id the error quotes.
		var traces []string
		for _, v := range errorValues(*e) {
			for _, p := range append(props, "") {
				i, ok := -1, false
				if p == "" {
					i, ok = byID[v]
					if !ok {
						i, ok = byTrace[v]
					}
				} else {
					i, ok = byKey[[2]string{p, normKey(p, v)}]
				}
				if ok && m.answer[i] < 0 && !m.named[i] {
					m.named[i] = true
					traces = append(traces, in[i].trace)
				}
			}
		}
		if len(traces) == 0 {
			m.orphanEr = append(m.orphanEr, k)
			continue
		}
		setTraces(e, traces)
	}
	return m
}

// errorValues lists every context value of an error and its details.
func errorValues(e StandardError) []string {
	var out []string
	for _, vs := range e.Context {
		out = append(out, vs...)
	}
	for _, d := range e.Errors {
		for _, vs := range d.Context {
			out = append(out, vs...)
		}
	}
	return out
}

// setTraces records on e the trace ids of the inputs it belongs to, so that
// ErrorByTrace finds it.
func setTraces(e *StandardError, traces []string) {
	var ts []string
	for _, t := range traces {
		if t != "" && !contains(ts, t) {
			ts = append(ts, t)
		}
	}
	if len(ts) == 0 {
		return
	}
	ctx := make(map[string][]string, len(e.Context)+1)
	for k, v := range e.Context {
		ctx[k] = v
	}
	ctx["objectWriteTraceId"] = ts
	e.Context = ctx
}

// open returns the inputs neither answered nor named, and the results not
// paired.
func (m *batchMatch) open() (inputs, results []int) {
	for i := range m.in {
		if m.answer[i] < 0 && !m.named[i] {
			inputs = append(inputs, i)
		}
	}
	for j, t := range m.taken {
		if !t {
			results = append(results, j)
		}
	}
	return inputs, results
}

// eliminate pairs the last open result with the last open input: every
// other input is accounted for, so that result answers it.
func (m *batchMatch) eliminate() {
	if ins, rs := m.open(); len(ins) == 1 && len(rs) == 1 {
		m.answer[ins[0]], m.taken[rs[0]] = rs[0], true
	}
}

// pairByID pairs open inputs whose HubSpot id is known (from a read-back)
// with the open result of that id.
func (m *batchMatch) pairByID(ids map[int]string) {
	_, rs := m.open()
	byID := make(map[string]int, len(rs))
	for _, j := range rs {
		byID[m.res.Results[j].ID] = j
	}
	for i, id := range ids {
		if j, ok := byID[id]; ok && m.answer[i] < 0 && !m.taken[j] {
			m.answer[i], m.taken[j] = j, true
		}
	}
}

// finish writes the outcome into the result: each paired result carries its
// input's trace id (and, for an input without one, its key value); results
// that answer no known input are dropped; an open input is attributed the
// one unattributed error when both are alone, else it gets an error of its
// own saying HubSpot did not acknowledge it, quoting the unattributed
// errors.
func (m *batchMatch) finish() {
	res := m.res
	ins, _ := m.open()
	if len(ins) == 1 && len(m.orphanEr) == 1 {
		setTraces(&res.Errors[m.orphanEr[0]], []string{m.in[ins[0]].trace})
		m.named[ins[0]] = true
		m.orphanEr = nil
		ins = nil
	}
	kept := make([]Object, 0, len(res.Results))
	for i, x := range m.in {
		j := m.answer[i]
		if j < 0 {
			continue
		}
		o := res.Results[j]
		o.ObjectWriteTraceID = x.trace
		if x.trace == "" && x.keyProp != "" && o.Prop(x.keyProp) == "" {
			v := x.keyVal
			props := make(map[string]*string, len(o.Properties)+1)
			for k, p := range o.Properties {
				props[k] = p
			}
			props[x.keyProp] = &v
			o.Properties = props
		}
		kept = append(kept, o)
	}
	res.Results = kept
	if len(ins) == 0 {
		return
	}
	var said []string
	category := ""
	for _, k := range m.orphanEr {
		e := res.Errors[k]
		if e.Message != "" {
			said = append(said, e.Message)
		}
		if category == "" {
			category = e.Category
		}
	}
	msg := "HubSpot did not acknowledge this record: the batch answer names it neither in its results nor in its errors"
	if len(said) > 0 {
		msg += "; the batch reported: " + strings.Join(said, "; ")
	}
	for _, i := range ins {
		se := StandardError{Status: "error", Category: category, Message: msg}
		if t := m.in[i].trace; t != "" {
			se.Context = map[string][]string{"objectWriteTraceId": {t}}
		} else if m.in[i].id != "" {
			se.Context = map[string][]string{"ids": {m.in[i].id}}
		} else {
			se.Context = map[string][]string{"ids": {m.in[i].keyVal}}
		}
		res.Errors = append(res.Errors, se)
	}
	res.NumErrors = max(res.NumErrors, len(res.Errors))
}

// matchUpsert matches an upsert's answer to its inputs. Results neither
// echoing a trace id nor a key value are matched through ONE read-back
// (batch read by the key property, giving key → HubSpot id, per key
// property) of the inputs still open; nothing is read when echoes suffice.
func (c *Client) matchUpsert(ctx context.Context, objectType string, in []UpsertInput, res *BatchResult) error {
	mi := make([]matchInput, len(in))
	for i, x := range in {
		mi[i] = matchInput{trace: x.ObjectWriteTraceID, keyProp: x.IDProperty, keyVal: x.ID}
	}
	m := newBatchMatch(mi, res)
	m.eliminate()
	if ins, rs := m.open(); len(ins) > 0 && len(rs) > 0 {
		ids, err := c.readBackKeys(ctx, objectType, in, ins)
		if err != nil {
			return fmt.Errorf("hubspot: batch upsert %s: the answer does not say which result is which input, and reading the keys back failed: %w", objectType, err)
		}
		m.pairByID(ids)
		m.eliminate()
	}
	m.finish()
	return nil
}

// readBackKeys reads the HubSpot ids of the given inputs by their key
// property: input index → id, for the inputs found.
func (c *Client) readBackKeys(ctx context.Context, objectType string, in []UpsertInput, open []int) (map[int]string, error) {
	byProp := map[string][]int{}
	var order []string
	for _, i := range open {
		p := in[i].IDProperty
		if _, ok := byProp[p]; !ok {
			order = append(order, p)
		}
		byProp[p] = append(byProp[p], i)
	}
	out := map[int]string{}
	for _, p := range order {
		idx := byProp[p]
		ids := make([]string, len(idx))
		want := make(map[string]int, len(idx))
		for n, i := range idx {
			ids[n] = in[i].ID
			want[normKey(p, in[i].ID)] = i
		}
		rr, err := c.BatchRead(ctx, objectType, ReadRequest{IDs: ids, IDProperty: p, Properties: []string{p}})
		if err != nil {
			return nil, err
		}
		for _, o := range rr.Results {
			if i, ok := want[normKey(p, o.Prop(p))]; ok && o.ID != "" {
				out[i] = o.ID
			}
		}
	}
	return out, nil
}

// matchUpdate matches an update's answer to its inputs (by trace id, record
// id or key echo; no read-back: the inputs name their records).
func matchUpdate(in []UpdateInput, res *BatchResult) {
	mi := make([]matchInput, len(in))
	for i, x := range in {
		mi[i] = matchInput{trace: x.ObjectWriteTraceID}
		if x.IDProperty == "" {
			mi[i].id = x.ID
		} else {
			mi[i].keyProp, mi[i].keyVal = x.IDProperty, x.ID
		}
	}
	m := newBatchMatch(mi, res)
	m.eliminate()
	m.finish()
}

func contains(s []string, v string) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}
