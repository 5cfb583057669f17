package report

import (
	"embed"
	"html"
	"html/template"
	"io"
	"strings"
)

//go:embed templates/report.html.tmpl templates/migration.html.tmpl
var templateFS embed.FS

// pageTemplate is the HTML report: one self-contained page (inline CSS and
// SVG, a Content-Security-Policy that forbids every fetch) that opens
// offline. html/template escapes every value by context.
var pageTemplate = template.Must(template.New("report.html.tmpl").
	Funcs(template.FuncMap{"join": strings.Join, "code": codeSpans, "score": fmtScore}).
	ParseFS(templateFS, "templates/report.html.tmpl"))

// htmlView is what the template renders: the report plus its formatted
// figures and charts.
type htmlView struct {
	R                                        *Report
	Status, Badge, Mode, Started, Finished   string
	Generated, Duration, Scope               string
	Quality, ErrorRate, QualityLine          string
	ErrorRateLine, Rate, Memory, Daily       string
	HubSpotLatency, BuildiumLatency          string
	ThroughputSVG, ActionsSVG, CategoriesSVG template.HTML
	Issues                                   []Issue
	Listed                                   int
	More                                     bool
}

// WriteHTML renders the self-contained HTML report with its charts:
// throughput over time, actions per entity and error categories.
func (r *Report) WriteHTML(w io.Writer) error {
	m := r.Metrics
	v := htmlView{R: r, Status: statusLabel(badgeStatus(r)), Badge: badgeStatus(r), Mode: modeLabel(r.Job), Started: fmtTime(r.Job.StartedAt),
		Finished: fmtTime(r.Job.FinishedAt), Generated: fmtTime(r.GeneratedAt), Duration: fmtDuration(m.DurationS),
		Scope: scopeLabel(r.Job.Scope), Quality: fmtScore(m.QualityScore), ErrorRate: percent(m.ErrorRate),
		QualityLine: qualityLine(r), ErrorRateLine: errorRateLine(r), Rate: fmtRate(m.RecordsPerS),
		Memory: memLabel(m.MemPeakBytes), Daily: dailyLabel(m),
		HubSpotLatency: latencyLabel(m.HubSpotLatencyAvg, m.HubSpotLatencyP95), BuildiumLatency: latencyLabel(m.BuildiumLatencyAvg, m.BuildiumLatencyP95),
		ThroughputSVG: throughputSVG(r.Throughput), ActionsSVG: actionsSVG(r.Entities), CategoriesSVG: categoriesSVG(r.Categories),
		Issues: r.Issues}
	if len(v.Issues) > MaxListed {
		v.Issues, v.More = v.Issues[:MaxListed], true
	}
	v.Listed = len(v.Issues)
	return pageTemplate.Execute(w, v)
}

// codeSpans escapes text for HTML and shows `quoted` commands as code.
func codeSpans(s string) template.HTML {
	parts := strings.Split(html.EscapeString(s), "`")
	var b strings.Builder
	for i, p := range parts {
		switch {
		case i%2 == 1 && i < len(parts)-1:
			b.WriteString("<code>" + p + "</code>")
		case i%2 == 1:
			b.WriteString("`" + p) // an unpaired backquote stays as it was
		default:
			b.WriteString(p)
		}
	}
	return template.HTML(b.String()) //nolint:gosec // every part is escaped above
}
