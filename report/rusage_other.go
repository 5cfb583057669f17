//go:build !(linux || darwin || freebsd || netbsd || openbsd)

package report

// peakRSS is not available on this platform.
func peakRSS() int64 { return 0 }
