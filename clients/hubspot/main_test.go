package hubspot

import (
	"flag"
	"os"
	"testing"
)

// TestMain lets the rate-limit tests, which spend their time waiting for
// HubSpot's 10-second window rather than on CPU, run side by side even on a
// two-core machine (the default -parallel is GOMAXPROCS). An explicit
// -parallel is respected.
func TestMain(m *testing.M) {
	flag.Parse()
	explicit := false
	flag.Visit(func(f *flag.Flag) { explicit = explicit || f.Name == "test.parallel" })
	if !explicit {
		_ = flag.Set("test.parallel", "4")
	}
	os.Exit(m.Run())
}
