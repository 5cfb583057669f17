package report

import (
	"fmt"
	"html"
	"html/template"
	"math"
	"strings"
)

// The charts are inline SVG drawn here, so the HTML report needs no script
// and no network. Every text in them is escaped with html.EscapeString;
// the numbers are the report's own.

// series is one colour of a chart.
type series struct {
	name, fill, ink string // ink: the colour of a label drawn on the fill
}

var (
	seriesWritten    = series{"written", "#0072b2", "#fff"}
	seriesAssociated = series{"associations", "#009e73", "#fff"}
	seriesIssues     = series{"issues", "#d55e00", "#fff"}

	actionSeries = []series{
		{"created", "#0072b2", "#fff"}, {"updated", "#56b4e9", "#111"}, {"unchanged", "#c8ccd2", "#111"},
		{"skipped", "#999933", "#fff"}, {"invalid", "#e69f00", "#111"}, {"failed", "#d55e00", "#fff"},
		{"duplicates", "#cc79a7", "#111"}, {"conflicts", "#f0e442", "#111"},
	}

	categoryFill = map[string]string{
		typeValidation: "#e69f00", typeHubSpotValidation: "#d55e00", typeHubSpot: "#a8322d", typeTransport: "#882255",
		typeDuplicate: "#cc79a7", typeConflict: "#c9b800", typeSkipped: "#999933",
	}
)

const chartFont = `font-family="system-ui,-apple-system,'Segoe UI',Roboto,sans-serif" font-size="12"`

// svgBuf builds an SVG document.
type svgBuf struct{ strings.Builder }

func (b *svgBuf) f(format string, a ...any) { fmt.Fprintf(&b.Builder, format, a...) }

// text writes escaped text at (x, y) with extra attributes.
func (b *svgBuf) text(x, y float64, attrs, s string) {
	b.f(`<text x="%.1f" y="%.1f" %s>%s</text>`, x, y, attrs, html.EscapeString(s))
}

// legend writes coloured keys from (x, y) rightwards.
func (b *svgBuf) legend(x, y float64, ss []series) {
	for _, s := range ss {
		b.f(`<rect x="%.1f" y="%.1f" width="12" height="12" rx="2" fill="%s"/>`, x, y-10, s.fill)
		b.text(x+16, y, `fill="#333"`, s.name)
		x += 28 + 7*float64(len(s.name))
	}
}

func (b *svgBuf) html() template.HTML { return template.HTML(b.String()) } //nolint:gosec // built from escaped text

// niceCeil returns a round axis maximum ≥ v and its tick step (1, 2 or 5 × 10^k).
func niceCeil(v float64) (top, step float64) {
	if v <= 0 {
		return 1, 1
	}
	raw := v / 4
	mag := math.Pow(10, math.Floor(math.Log10(raw)))
	step = mag * 10
	for _, m := range []float64{1, 2, 5, 10} {
		if raw <= m*mag {
			step = m * mag
			break
		}
	}
	step = math.Max(step, 1)
	return math.Ceil(v/step) * step, step
}

// throughputSVG draws records per bucket over time as stacked bars.
func throughputSVG(t Throughput) template.HTML {
	const w, h, left, right, top, bottom = 760.0, 300.0, 56.0, 16.0, 40.0, 44.0
	var b svgBuf
	b.f(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %.0f %.0f" width="%.0f" height="%.0f" role="img" aria-label="Throughput over time" %s>`, w, h, w, h, chartFont)
	b.legend(left, 18, []series{seriesWritten, seriesAssociated, seriesIssues})
	if len(t.Points) == 0 {
		b.text(w/2, h/2, `text-anchor="middle" fill="#666"`, "Nothing was written or reported during this job.")
		b.f(`</svg>`)
		return b.html()
	}
	maxV := 0
	for _, p := range t.Points {
		maxV = max(maxV, p.Written+p.Associated+p.Issues)
	}
	yTop, step := niceCeil(float64(maxV))
	pw, ph := w-left-right, h-top-bottom
	y := func(v float64) float64 { return top + ph - v/yTop*ph }
	for v := 0.0; v <= yTop+step/2; v += step {
		b.f(`<line x1="%.1f" x2="%.1f" y1="%.1f" y2="%.1f" stroke="#e3e6ea"/>`, left, w-right, y(v), y(v))
		b.text(left-6, y(v)+4, `text-anchor="end" fill="#555"`, fmt.Sprintf("%.0f", v))
	}
	n := len(t.Points)
	slot := pw / float64(n)
	bw := math.Max(slot*0.78, 1)
	every := int(math.Ceil(float64(n) / 10))
	for i, p := range t.Points {
		x := left + float64(i)*slot + (slot-bw)/2
		total := p.Written + p.Associated + p.Issues
		b.f(`<g><title>%s</title>`, html.EscapeString(fmt.Sprintf("%s–%s: %d written, %d associations, %d issues",
			fmtOffset(p.OffsetS), fmtOffset(p.OffsetS+t.BucketS), p.Written, p.Associated, p.Issues)))
		base := 0.0
		for _, s := range []struct {
			v int
			s series
		}{{p.Written, seriesWritten}, {p.Associated, seriesAssociated}, {p.Issues, seriesIssues}} {
			if s.v == 0 {
				continue
			}
			b.f(`<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" fill="%s"/>`, x, y(base+float64(s.v)), bw, y(base)-y(base+float64(s.v)), s.s.fill)
			base += float64(s.v)
		}
		if n <= 24 && total > 0 {
			b.text(x+bw/2, y(float64(total))-4, `text-anchor="middle" fill="#222" font-weight="600"`, fmt.Sprint(total))
		}
		b.f(`</g>`)
		if i%every == 0 {
			b.text(x+bw/2, top+ph+16, `text-anchor="middle" fill="#555"`, fmtOffset(p.OffsetS))
		}
	}
	b.f(`<line x1="%.1f" x2="%.1f" y1="%.1f" y2="%.1f" stroke="#888"/>`, left, w-right, top+ph, top+ph)
	b.text(left+pw/2, h-6, `text-anchor="middle" fill="#555"`, fmt.Sprintf("time since the job started (records per %s)", fmtOffset(t.BucketS)))
	b.f(`</svg>`)
	return b.html()
}

// actionsSVG draws each entity's outcomes as a stacked horizontal bar.
func actionsSVG(rows []EntityRow) template.HTML {
	const w, left, right, top, rowH, barH = 760.0, 150.0, 80.0, 40.0, 34.0, 22.0
	h := top + rowH*float64(max(len(rows), 1)) + 12
	var b svgBuf
	b.f(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %.0f %.0f" width="%.0f" height="%.0f" role="img" aria-label="Actions per entity" %s>`, w, h, w, h, chartFont)
	used := make([]bool, len(actionSeries))
	maxRead := int64(0)
	for _, r := range rows {
		for i, v := range actionValues(r.Counts) {
			used[i] = used[i] || v > 0
		}
		maxRead = max(maxRead, r.Read)
	}
	var legend []series
	for i, s := range actionSeries {
		if used[i] {
			legend = append(legend, s)
		}
	}
	b.legend(8, 18, legend)
	if len(rows) == 0 || maxRead == 0 {
		b.text(w/2, top+16, `text-anchor="middle" fill="#666"`, "No record was read.")
		b.f(`</svg>`)
		return b.html()
	}
	pw := w - left - right
	for i, r := range rows {
		yy := top + float64(i)*rowH
		b.text(left-8, yy+barH/2+4, `text-anchor="end" fill="#222"`, string(r.Entity))
		x := left
		for j, v := range actionValues(r.Counts) {
			if v == 0 {
				continue
			}
			s := actionSeries[j]
			sw := float64(v) / float64(maxRead) * pw
			b.f(`<g><title>%s</title><rect x="%.1f" y="%.1f" width="%.1f" height="%.0f" fill="%s"/>`,
				html.EscapeString(fmt.Sprintf("%s %s: %d", r.Entity, s.name, v)), x, yy, math.Max(sw, 1), barH, s.fill)
			if label := fmt.Sprint(v); sw >= 7*float64(len(label))+6 {
				b.text(x+sw/2, yy+barH/2+4, fmt.Sprintf(`text-anchor="middle" fill="%s"`, s.ink), label)
			}
			b.f(`</g>`)
			x += sw
		}
		b.text(x+6, yy+barH/2+4, `fill="#222" font-weight="600"`, fmt.Sprintf("%d read", r.Read))
	}
	b.f(`</svg>`)
	return b.html()
}

// actionValues lists counts in actionSeries order.
func actionValues(c Counts) []int64 {
	return []int64{c.Created, c.Updated, c.Unchanged, c.Skipped, c.Invalid, c.Failed, c.Duplicates, c.Conflicts}
}

// categoriesSVG draws the error categories as horizontal bars.
func categoriesSVG(cats []Category) template.HTML {
	const w, left, right, top, rowH, barH = 760.0, 220.0, 60.0, 12.0, 30.0, 20.0
	h := top + rowH*float64(max(len(cats), 1)) + 8
	var b svgBuf
	b.f(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %.0f %.0f" width="%.0f" height="%.0f" role="img" aria-label="Error categories" %s>`, w, h, w, h, chartFont)
	if len(cats) == 0 {
		b.text(w/2, top+16, `text-anchor="middle" fill="#2a7a2a"`, "No invalid, failed, skipped or held record.")
		b.f(`</svg>`)
		return b.html()
	}
	maxC := 0
	for _, c := range cats {
		maxC = max(maxC, c.Count)
	}
	pw := w - left - right
	for i, c := range cats {
		yy := top + float64(i)*rowH
		fill := categoryFill[c.Name]
		if fill == "" {
			fill = "#777"
		}
		bw := math.Max(float64(c.Count)/float64(maxC)*pw, 2)
		b.text(left-8, yy+barH/2+4, `text-anchor="end" fill="#222"`, c.Label)
		b.f(`<g><title>%s</title><rect x="%.1f" y="%.1f" width="%.1f" height="%.0f" rx="2" fill="%s"/></g>`,
			html.EscapeString(fmt.Sprintf("%s: %d", c.Label, c.Count)), left, yy, bw, barH, fill)
		b.text(left+bw+6, yy+barH/2+4, `fill="#222" font-weight="600"`, fmt.Sprint(c.Count))
	}
	b.f(`</svg>`)
	return b.html()
}
