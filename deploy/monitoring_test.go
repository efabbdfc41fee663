package deploy_test

import (
	"encoding/json"
	"os"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.yaml.in/yaml/v3"

	"skillrecord/internal/apitest"
)

// metricName matches the service's own metric names and the database pool's (go_sql_*).
var metricName = regexp.MustCompile(`\b(?:skillrecord|go_sql)_[a-z_]+\b`)

// exported lists the metric families the service registers, as `serve` does: the whole app
// (HTTP, business, cache, Redis pool, rate limits, access log) plus the database pool
// collector serve adds. Describe includes vectors that have no series yet.
func exported(t *testing.T) map[string]bool {
	a := apitest.NewApp(t)
	a.Metrics.MustRegister(collectors.NewDBStatsCollector(a.DB.SQL(), "skillrecord"))
	ch := make(chan *prometheus.Desc, 256)
	go func() { a.Metrics.Describe(ch); close(ch) }()
	fq := regexp.MustCompile(`fqName: "([^"]+)"`)
	names := map[string]bool{}
	for d := range ch {
		if m := fq.FindStringSubmatch(d.String()); m != nil {
			names[m[1]] = true
		}
	}
	return names
}

// family strips the suffixes Prometheus adds to a histogram's series.
func family(name string, known map[string]bool) string {
	for _, suffix := range []string{"_bucket", "_sum", "_count"} {
		if base, ok := strings.CutSuffix(name, suffix); ok && known[base] {
			return base
		}
	}
	return name
}

func TestMonitoring_EveryMetricAnAlertOrPanelNamesIsExported(t *testing.T) {
	known := exported(t)

	var rules struct {
		Groups []struct {
			Rules []struct {
				Alert string `yaml:"alert"`
				Expr  string `yaml:"expr"`
			} `yaml:"rules"`
		} `yaml:"groups"`
	}
	raw, err := os.ReadFile("monitoring/alerts.yml")
	require.NoError(t, err)
	require.NoError(t, yaml.Unmarshal(raw, &rules))
	used := map[string]string{} // metric -> where
	alerts := 0
	for _, g := range rules.Groups {
		for _, r := range g.Rules {
			alerts++
			for _, m := range metricName.FindAllString(r.Expr, -1) {
				used[m] = "alert " + r.Alert
			}
		}
	}
	assert.GreaterOrEqual(t, alerts, 6, "error rate, p99, readiness, DB pool, breaker, invalidations")

	var dash struct {
		Panels []struct {
			Title   string `json:"title"`
			Targets []struct {
				Expr string `json:"expr"`
			} `json:"targets"`
		} `json:"panels"`
	}
	raw, err = os.ReadFile("monitoring/grafana-dashboard.json")
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(raw, &dash))
	for _, p := range dash.Panels {
		for _, tg := range p.Targets {
			for _, m := range metricName.FindAllString(tg.Expr, -1) {
				used[m] = "panel " + p.Title
			}
		}
	}

	var missing []string
	for m, where := range used {
		if !known[family(m, known)] {
			missing = append(missing, m+" ("+where+")")
		}
	}
	sort.Strings(missing)
	assert.Empty(t, missing, "metrics named in deploy/monitoring but not exported by the service")
	assert.Greater(t, len(used), 15)
}
