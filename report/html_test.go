package report_test

import (
	"bytes"
	"image"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"b2h/report"
	"b2h/state"
)

// TestHTMLChartsShowTheJobsNumbers renders the HTML report of a demo job
// whose clock advances, and checks that the page is self-contained and
// that each chart carries the job's figures.
func TestHTMLChartsShowTheJobsNumbers(t *testing.T) {
	d := runDemo(t, demoOptions{faults: goldenFaults, workers: 1, now: stepClock(fixedNow(), 700*time.Millisecond)})
	r := d.build(t)
	var b bytes.Buffer
	if err := r.WriteHTML(&b); err != nil {
		t.Fatal(err)
	}
	page := b.String()

	if n := strings.Count(page, "<svg "); n != 3 {
		t.Errorf("page has %d charts, want 3", n)
	}
	if !strings.Contains(page, `content="default-src 'none'; style-src 'unsafe-inline'; img-src data:"`) {
		t.Error("page lacks the Content-Security-Policy that forbids fetching anything")
	}
	for _, bad := range []string{"<script", "<link", "@import", "src=\"http", "url(http"} {
		if strings.Contains(page, bad) {
			t.Errorf("page contains %q: it must open with no network", bad)
		}
	}
	if urls := regexp.MustCompile(`https?://[^"' <]+`).FindAllString(page, -1); len(urls) != strings.Count(page, "<svg ") {
		t.Errorf("page references URLs other than the SVG namespace: %v", urls)
	}

	// Actions per entity: each entity's "N read" label is its count.
	for _, e := range r.Entities {
		if want := ">" + strconv.FormatInt(e.Read, 10) + " read<"; !strings.Contains(page, want) {
			t.Errorf("actions chart lacks %q for %s", want, e.Entity)
		}
		if want := string(e.Entity) + " created: " + strconv.FormatInt(e.Created, 10); e.Created > 0 && !strings.Contains(page, want) {
			t.Errorf("actions chart lacks the segment %q", want)
		}
	}
	// Error categories: one bar per category with its count.
	if len(r.Categories) == 0 {
		t.Fatal("the faulty demo job should have error categories")
	}
	for _, c := range r.Categories {
		if want := c.Label + ": " + strconv.Itoa(c.Count); !strings.Contains(page, want) {
			t.Errorf("categories chart lacks %q", want)
		}
	}
	// Throughput: the bars add up to what the job wrote, associated and reported.
	if len(r.Throughput.Points) < 2 {
		t.Fatalf("throughput has %d buckets; the stepping clock should spread the job", len(r.Throughput.Points))
	}
	var written, assoc, issues int
	re := regexp.MustCompile(`<title>[^<]*: (\d+) written, (\d+) associations, (\d+) issues</title>`)
	for _, m := range re.FindAllStringSubmatch(page, -1) {
		w, _ := strconv.Atoi(m[1])
		a, _ := strconv.Atoi(m[2])
		i, _ := strconv.Atoi(m[3])
		written, assoc, issues = written+w, assoc+a, issues+i
	}
	audited := 0
	if err := d.st.Audit(d.jobID, func(a state.AuditEntry) error {
		if a.Action == state.ActionCreate || a.Action == state.ActionUpdate {
			audited++
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if written != audited || written == 0 {
		t.Errorf("throughput bars show %d written, the job's audit trail has %d writes", written, audited)
	}
	if int64(assoc) != r.Metrics.AssociationsWritten || assoc == 0 {
		t.Errorf("throughput bars show %d associations, the job wrote %d", assoc, r.Metrics.AssociationsWritten)
	}
	if issues != len(r.Issues) {
		t.Errorf("throughput bars show %d issues, the report lists %d", issues, len(r.Issues))
	}

	renderPNG(t, page)
}

// renderPNG opens the page in headless Chromium through
// scripts/render-report.sh and checks the screenshot. It runs only where
// /usr/bin/chromium exists. B2H_REPORT_PNG=FILE keeps the screenshot.
func renderPNG(t *testing.T, page string) {
	t.Helper()
	if _, err := os.Stat("/usr/bin/chromium"); err != nil {
		t.Log("skipping the Chromium rendering: /usr/bin/chromium is not installed")
		return
	}
	dir := t.TempDir()
	htmlPath, pngPath := filepath.Join(dir, "report.html"), filepath.Join(dir, "report.png")
	if err := os.WriteFile(htmlPath, []byte(page), 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("../scripts/render-report.sh", htmlPath, pngPath, "1100", "2400")
	cmd.Env = append(os.Environ(), "CHROMIUM=/usr/bin/chromium")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("render-report.sh: %v\n%s", err, out)
	}
	raw, err := os.ReadFile(pngPath)
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(raw))
	if err != nil {
		t.Fatalf("screenshot is not a PNG: %v", err)
	}
	if b := img.Bounds(); b.Dx() != 1100 || b.Dy() != 2400 {
		t.Errorf("screenshot is %v, want 1100×2400", b)
	}
	if n := colours(img, 4000); n < 8 {
		t.Errorf("screenshot has %d distinct colours: the page did not draw its charts", n)
	}
	// The chart colours must be on screen: created (#0072b2) and failed (#d55e00).
	for _, c := range [][3]uint8{{0x00, 0x72, 0xb2}, {0xd5, 0x5e, 0x00}} {
		if !hasColour(img, c) {
			t.Errorf("screenshot lacks the chart colour #%02x%02x%02x", c[0], c[1], c[2])
		}
	}
	if keep := os.Getenv("B2H_REPORT_PNG"); keep != "" {
		if err := os.WriteFile(keep, raw, 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(strings.TrimSuffix(keep, filepath.Ext(keep))+".html", []byte(page), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// colours counts distinct colours, stopping at limit.
func colours(img image.Image, limit int) int {
	seen := map[uint32]bool{}
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y += 3 {
		for x := b.Min.X; x < b.Max.X; x += 3 {
			r, g, bl, _ := img.At(x, y).RGBA()
			seen[r>>8<<16|g>>8<<8|bl>>8] = true
			if len(seen) >= limit {
				return len(seen)
			}
		}
	}
	return len(seen)
}

// hasColour reports whether some pixel is within a small distance of c.
func hasColour(img image.Image, c [3]uint8) bool {
	b := img.Bounds()
	near := func(a uint32, b uint8) bool { d := int(a>>8) - int(b); return d > -4 && d < 4 }
	for y := b.Min.Y; y < b.Max.Y; y += 2 {
		for x := b.Min.X; x < b.Max.X; x += 2 {
			r, g, bl, _ := img.At(x, y).RGBA()
			if near(r, c[0]) && near(g, c[1]) && near(bl, c[2]) {
				return true
			}
		}
	}
	return false
}

var _ = report.Build
