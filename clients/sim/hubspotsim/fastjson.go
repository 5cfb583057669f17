package hubspotsim

import (
	"encoding/json"
	"strconv"
)

// Hand-written JSON for the hot path: batch responses of records. With
// encoding/json every record's properties would be re-scanned (Marshaler
// output is compacted), which costs a quarter of a batch upsert.

// jsonAppender is a response body that writes its own JSON.
type jsonAppender interface {
	appendJSON(b []byte) []byte
}

// appendJSON writes o as encoding/json would, field for field.
func (o *objectJSON) appendJSON(b []byte) []byte {
	b = append(b, `{"id":`...)
	b = appendJSONString(b, o.ID)
	b = append(b, `,"properties":`...)
	if o.Properties == nil {
		b = append(b, "null"...)
	} else {
		b = o.Properties.appendJSON(b)
	}
	if len(o.PropertiesWithHistory) > 0 {
		h, _ := json.Marshal(o.PropertiesWithHistory)
		b = append(b, `,"propertiesWithHistory":`...)
		b = append(b, h...)
	}
	b = append(b, `,"createdAt":`...)
	b = appendJSONString(b, o.CreatedAt)
	b = append(b, `,"updatedAt":`...)
	b = appendJSONString(b, o.UpdatedAt)
	b = append(b, `,"archived":`...)
	b = strconv.AppendBool(b, o.Archived)
	if o.ArchivedAt != "" {
		b = append(b, `,"archivedAt":`...)
		b = appendJSONString(b, o.ArchivedAt)
	}
	if o.New != nil {
		b = append(b, `,"new":`...)
		b = strconv.AppendBool(b, *o.New)
	}
	if o.ObjectWriteTraceID != "" {
		b = append(b, `,"objectWriteTraceId":`...)
		b = appendJSONString(b, o.ObjectWriteTraceID)
	}
	return append(b, '}')
}

// appendJSON writes the batch envelope; results other than records fall
// back to encoding/json.
func (bj *batchJSON) appendJSON(b []byte) []byte {
	b = append(b, `{"status":`...)
	b = appendJSONString(b, bj.Status)
	b = append(b, `,"results":`...)
	if objs, ok := bj.Results.([]objectJSON); ok {
		b = append(b, '[')
		for i := range objs {
			if i > 0 {
				b = append(b, ',')
			}
			b = objs[i].appendJSON(b)
		}
		b = append(b, ']')
	} else {
		r, _ := json.Marshal(bj.Results)
		b = append(b, r...)
	}
	if bj.NumErrors != 0 {
		b = append(b, `,"numErrors":`...)
		b = strconv.AppendInt(b, int64(bj.NumErrors), 10)
	}
	if len(bj.Errors) > 0 {
		e, _ := json.Marshal(bj.Errors)
		b = append(b, `,"errors":`...)
		b = append(b, e...)
	}
	if bj.RequestedAt != "" {
		b = append(b, `,"requestedAt":`...)
		b = appendJSONString(b, bj.RequestedAt)
	}
	b = append(b, `,"startedAt":`...)
	b = appendJSONString(b, bj.StartedAt)
	b = append(b, `,"completedAt":`...)
	b = appendJSONString(b, bj.CompletedAt)
	return append(b, '}')
}

// appendJSON writes the properties as one JSON object.
func (pv propValues) appendJSON(b []byte) []byte {
	b = append(b, '{')
	for i, p := range pv {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendJSONString(b, p.name)
		b = append(b, ':')
		if p.value == "" {
			b = append(b, "null"...)
		} else {
			b = appendJSONString(b, p.value)
		}
	}
	return append(b, '}')
}
