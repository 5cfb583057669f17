package state

import (
	"context"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
	"text/tabwriter"
	"time"

	bolt "go.etcd.io/bbolt"
)

// Info summarises a state file for `b2h state inspect`. It holds counts and
// metadata only, never sealed values.
type Info struct {
	Path          string
	SizeBytes     int64
	PageSize      int
	FreePages     int // pages compact would reclaim
	SchemaVersion int
	StateID       string
	CreatedAt     time.Time
	KeyLocation   string
	KeyNote       string
	LastBackup    string
	Buckets       []BucketCount // every top-level bucket, nested keys included
	Mappings      map[Kind]int
	LedgerOpen    map[Kind]int
	LedgerTotal   int
	AuditEntries  int
	AuditJobs     int
	Jobs          int
	LastJobs      []Job // newest first, at most 5
	Decisions     int
	ReviewOpen    int
	Cursors       []Cursor
	Migrations    []MigrationInfo
}

// BucketCount is the number of keys in one top-level bucket.
type BucketCount struct {
	Name string
	Keys int
}

// inspectJobs is how many recent jobs Inspect lists.
const inspectJobs = 5

// Inspect gathers counts per bucket, the schema version and the last jobs. It
// reads in one read transaction (plus small lookups) and can be cancelled via
// ctx between buckets.
func (s *Store) Inspect(ctx context.Context) (Info, error) {
	info := Info{Path: s.path, KeyLocation: s.keys.String(), KeyNote: s.KeyNote(), LastBackup: LastBackup(s.path),
		StateID: s.stateID, Mappings: map[Kind]int{}, LedgerOpen: map[Kind]int{}}
	if fi, err := os.Stat(s.path); err == nil {
		info.SizeBytes = fi.Size()
	}
	info.PageSize = s.db.Info().PageSize
	info.FreePages = s.db.Stats().FreePageN
	err := s.view(func(tx *bolt.Tx) error {
		if v, ok := schemaVersionOf(tx); ok {
			info.SchemaVersion = v
		}
		if meta := tx.Bucket(bucketMeta); meta != nil {
			info.CreatedAt, _ = time.Parse(time.RFC3339Nano, string(meta.Get(metaCreatedAt)))
		}
		for _, name := range allBuckets {
			if err := ctx.Err(); err != nil {
				return err
			}
			b := tx.Bucket(name)
			if b == nil {
				continue
			}
			st := b.Stats()
			info.Buckets = append(info.Buckets, BucketCount{Name: string(name), Keys: st.KeyN - st.BucketN + 1})
		}
		if maps := tx.Bucket(bucketMappings); maps != nil {
			_ = maps.ForEachBucket(func(k []byte) error {
				info.Mappings[Kind(k)] = maps.Bucket(k).Stats().KeyN
				return nil
			})
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		if lb := tx.Bucket(bucketLedger); lb != nil {
			err := lb.ForEachBucket(func(kind []byte) error {
				return lb.Bucket(kind).ForEach(func(k, v []byte) error {
					r, err := decodeLedgerRaw(v)
					if err != nil {
						return fmt.Errorf("ledger %s/%s: %w", kind, k, err)
					}
					info.LedgerTotal++
					if !r.Resolved {
						info.LedgerOpen[Kind(kind)]++
					}
					return nil
				})
			})
			if err != nil {
				return err
			}
		}
		if ab := tx.Bucket(bucketAudit); ab != nil {
			_ = ab.ForEachBucket(func(k []byte) error {
				info.AuditJobs++
				info.AuditEntries += ab.Bucket(k).Stats().KeyN
				return nil
			})
		}
		if jb := tx.Bucket(bucketJobs); jb != nil {
			info.Jobs = jb.Stats().KeyN
		}
		if db := tx.Bucket(bucketDecisions); db != nil {
			info.Decisions = db.Stats().KeyN
		}
		if rb := tx.Bucket(bucketReview); rb != nil {
			return rb.ForEach(func(k, v []byte) error {
				var head reviewRecord
				if err := decodeJSON(v, &head); err != nil {
					return fmt.Errorf("review item %s: %w", k, err)
				}
				if head.Status == ReviewOpen {
					info.ReviewOpen++
				}
				return nil
			})
		}
		return nil
	})
	if err != nil {
		return info, err
	}
	if info.LastJobs, err = s.Jobs(inspectJobs); err != nil {
		return info, err
	}
	if s.hasBucket(bucketCursors) {
		if info.Cursors, err = s.Cursors(); err != nil {
			return info, err
		}
	}
	info.Migrations, err = s.Migrations()
	return info, err
}

func (s *Store) hasBucket(name []byte) bool {
	ok := false
	_ = s.view(func(tx *bolt.Tx) error { ok = tx.Bucket(name) != nil; return nil })
	return ok
}

// WriteText writes the summary as aligned plain text.
func (i Info) WriteText(w io.Writer) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	p := func(format string, a ...any) { fmt.Fprintf(tw, format+"\n", a...) }
	p("State file:\t%s", i.Path)
	p("Size:\t%s (%d free pages of %d bytes; `b2h state compact` reclaims them)", humanBytes(i.SizeBytes), i.FreePages, i.PageSize)
	p("Schema version:\t%d (this b2h: %d)", i.SchemaVersion, SchemaVersion)
	p("State id:\t%s", i.StateID)
	if !i.CreatedAt.IsZero() {
		p("Created:\t%s", i.CreatedAt.Format(time.RFC3339))
	}
	p("Encryption key:\t%s", i.KeyLocation)
	if i.LastBackup != "" {
		p("Last backup:\t%s", i.LastBackup)
	} else {
		p("Last backup:\tnone (make one with `b2h state backup FILE`)")
	}
	p("")
	p("Bucket\tKeys")
	for _, b := range i.Buckets {
		p("%s\t%d", b.Name, b.Keys)
	}
	p("")
	p("Kind\tMappings\tOpen ledger")
	for _, k := range kindsOf(i.Mappings, i.LedgerOpen) {
		p("%s\t%d\t%d", k, i.Mappings[k], i.LedgerOpen[k])
	}
	p("")
	p("Audit:\t%d entries in %d jobs", i.AuditEntries, i.AuditJobs)
	p("Decisions:\t%d", i.Decisions)
	p("Open review items:\t%d", i.ReviewOpen)
	for _, c := range i.Cursors {
		p("Cursor %s:\t%s (job %s)", c.Kind, c.Watermark.Format(time.RFC3339), c.JobID)
	}
	p("")
	p("Jobs:\t%d", i.Jobs)
	if len(i.LastJobs) > 0 {
		p("Job\tMode\tStatus\tStarted\tFinished")
		for _, j := range i.LastJobs {
			mode := j.Mode
			if j.DryRun {
				mode += " (dry run)"
			}
			fin := "-"
			if !j.FinishedAt.IsZero() {
				fin = j.FinishedAt.Format(time.RFC3339)
			}
			p("%s\t%s\t%s\t%s\t%s", j.ID, mode, j.Status, j.StartedAt.Format(time.RFC3339), fin)
		}
	}
	for _, m := range i.Migrations {
		p("Migrated:\tschema %d → %d on %s (%s)", m.From, m.To, m.At.Format(time.RFC3339), m.Name)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if i.KeyNote != "" {
		_, err := fmt.Fprintf(w, "\nNote: %s\n", i.KeyNote)
		return err
	}
	return nil
}

// kindsOf returns the kinds present in any of the maps: known kinds in sync
// order, then others sorted.
func kindsOf(ms ...map[Kind]int) []Kind {
	seen := map[Kind]bool{}
	for _, m := range ms {
		for k := range m {
			seen[k] = true
		}
	}
	var out []Kind
	for _, k := range Kinds {
		if seen[k] {
			out = append(out, k)
			delete(seen, k)
		}
	}
	var rest []string
	for k := range seen {
		rest = append(rest, string(k))
	}
	sort.Strings(rest)
	for _, k := range rest {
		out = append(out, Kind(k))
	}
	return out
}

func humanBytes(n int64) string {
	const unit = 1024
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	div, exp := int64(unit), 0
	for m := n / unit; m >= unit; m /= unit {
		div *= unit
		exp++
	}
	return fmt.Sprintf("%.1f %ciB", float64(n)/float64(div), strings.ToUpper("kmgtpe")[exp])
}
