// Package jsonx encodes and decodes API bodies: github.com/goccy/go-json
// where it agrees with encoding/json, encoding/json where it does not.
//
// Decoding Buildium pages and HubSpot batch responses was the largest share
// of a full sync's CPU; goccy/go-json does it about three times as fast
// (clients/buildium BenchmarkDecodeTenantsPage). Each client's
// FuzzDecodeMatchesStdlib holds Unmarshal to encoding/json for the types
// it decodes: the same values for every body encoding/json accepts, an
// error for every body it rejects.
package jsonx

import (
	"encoding/json"
	"reflect"

	gojson "github.com/goccy/go-json"
)

// Unmarshal decodes body into out, a non-nil pointer. Should goccy refuse a
// body, encoding/json decodes it afresh (nothing goccy half-filled
// survives), so an error is encoding/json's, whose messages b2h knows.
func Unmarshal(body []byte, out any) error {
	err := gojson.Unmarshal(body, out)
	if err == nil {
		return nil
	}
	rv := reflect.ValueOf(out)
	if rv.Kind() != reflect.Pointer || rv.IsNil() {
		return json.Unmarshal(body, out) // encoding/json's InvalidUnmarshalError
	}
	fresh := reflect.New(rv.Type().Elem())
	if serr := json.Unmarshal(body, fresh.Interface()); serr != nil {
		return serr
	}
	rv.Elem().Set(fresh.Elem())
	return nil
}

// Marshal encodes v with goccy/go-json, several times as fast as
// encoding/json on a batch of 100 records with their property maps; should
// goccy fail, encoding/json's answer is the result. The bytes may differ
// from encoding/json's (maps are written unsorted: HubSpot reads a batch's
// properties by name, and sorting them was a fifth of the encoding), never the value:
// FuzzEncodeMatchesStdlib (clients/hubspot) decodes both and compares.
func Marshal(v any) ([]byte, error) {
	b, err := gojson.MarshalWithOption(v, gojson.UnorderedMap())
	if err != nil {
		return json.Marshal(v)
	}
	return b, nil
}
