package buildium

import (
	"errors"
	"fmt"
)

// IncompleteListError ends a list that yielded fewer records (items and
// bad records together) than the last X-Total-Count said the list holds:
// pages came back short even when asked again (offset paging while someone
// edits Buildium, or a proxy cutting bodies). Every page read has been
// yielded before it. A caller must conclude nothing from the records it
// did not see (that one is gone, say); the list is read again on the next
// run.
type IncompleteListError struct {
	Kind     Kind
	Read     int // records yielded, from the list's start offset on
	Expected int // what the last X-Total-Count left to read from there
}

// Error names the list and the figures.
func (e *IncompleteListError) Error() string {
	return fmt.Sprintf("Buildium's %s list came back incomplete: %d of %d records read (X-Total-Count), pages stayed short when asked again; nothing is concluded from the missing records, and the list is read again on the next run",
		e.Kind, e.Read, e.Expected)
}

// IsIncomplete reports whether err is (or wraps) an *IncompleteListError.
func IsIncomplete(err error) bool {
	var e *IncompleteListError
	return errors.As(err, &e)
}

// BadRecord is a record of a list page that was not yielded as an item:
// it does not decode (a field of the wrong type, a string Id, an Id over
// int32, a date that is not one), its Id is not positive, or it is JSON
// null. The rest of its page is read as usual.
type BadRecord struct {
	Kind   Kind
	Offset int    // its place in the whole result, as Page.Offset counts
	ID     string // its Id as written (a string's quotes removed); "" if it has none or cannot be read
	Reason string // what is wrong, for a person; printable and free of the credentials
}

// BadRecordError is a by-id GET (Rental, Unit, Tenant, Lease) whose answer
// is a bad record: retrying cannot change it.
type BadRecordError struct {
	Path string // e.g. /v1/leases/tenants/7
	BadRecord
}

// Error names the record and what is wrong with it.
func (e *BadRecordError) Error() string {
	id := e.ID
	if id == "" {
		id = "none"
	}
	return fmt.Sprintf("Buildium's answer to GET %s is not a record b2h can use (Id %s): %s", e.Path, id, e.Reason)
}

// IsBadRecord reports whether err is (or wraps) a *BadRecordError.
func IsBadRecord(err error) bool {
	var e *BadRecordError
	return errors.As(err, &e)
}
