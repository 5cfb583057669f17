package tui

import (
	"errors"
	"fmt"
	"time"

	"github.com/zalando/go-keyring"
)

// Keyring keeps credentials between sessions. Names are the Credentials
// field names qualified by host (see credentialName).
type Keyring interface {
	// Get returns the stored value, or an error (ErrNotFound when none).
	Get(name string) (string, error)
	// Set stores the value.
	Set(name, value string) error
}

// KeyringService is the OS keyring service b2h stores credentials under
// (state encryption keys live there too, under the state's id).
const KeyringService = "b2h"

// ErrKeyringTimeout is returned when the OS keyring does not answer in
// time (a Secret Service waiting on an unlock prompt, say).
var ErrKeyringTimeout = errors.New("the OS keyring did not answer in time")

// OSKeyring stores credentials in the OS keyring (macOS Keychain, Windows
// Credential Manager, Secret Service) with go-keyring. Tests call
// keyring.MockInit() first.
type OSKeyring struct {
	// Timeout bounds every call (default 5 s).
	Timeout time.Duration
}

// Get implements Keyring.
func (k OSKeyring) Get(name string) (string, error) {
	return k.within(func() (string, error) { return keyring.Get(KeyringService, name) })
}

// Set implements Keyring.
func (k OSKeyring) Set(name, value string) error {
	_, err := k.within(func() (string, error) { return "", keyring.Set(KeyringService, name, value) })
	return err
}

// within runs fn, giving up after the timeout (the call may still finish
// in the background; its result is then dropped).
func (k OSKeyring) within(fn func() (string, error)) (string, error) {
	d := k.Timeout
	if d <= 0 {
		d = 5 * time.Second
	}
	type result struct {
		v   string
		err error
	}
	done := make(chan result, 1)
	go func() {
		v, err := fn()
		done <- result{v, err}
	}()
	select {
	case r := <-done:
		return r.v, r.err
	case <-time.After(d):
		return "", ErrKeyringTimeout
	}
}

// credentialName is the keyring name of one credential for one host, so
// production and sandbox keys never mix.
func credentialName(field, host string) string { return fmt.Sprintf("%s@%s", field, host) }
