package httpapi

import (
	"strconv"
	"sync"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/prometheus/client_golang/prometheus"
)

// httpMetrics are labelled by route template, never by raw path, so no identifier reaches a
// label and the series count stays bounded.
type httpMetrics struct {
	requests *prometheus.CounterVec
	duration *prometheus.HistogramVec
	inFlight prometheus.Gauge
	business *businessMetrics

	// series holds each (method, route, status)'s counter and histogram once looked up, so
	// that a request costs no label hashing or formatting. Routes are templates, so it is
	// bounded by routes × methods × statuses.
	mu     sync.RWMutex
	series map[seriesKey]series
}

// maxSeries bounds the series remembered by httpMetrics.
const maxSeries = 2000

type seriesKey struct {
	method, route string
	status        int
}

type series struct {
	requests prometheus.Counter
	duration prometheus.Observer
}

func newHTTPMetrics(reg prometheus.Registerer) *httpMetrics {
	m := &httpMetrics{
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "skillrecord_http_requests_total",
			Help: "HTTP requests by method, route template and status.",
		}, []string{"method", "route", "status"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "skillrecord_http_request_duration_seconds",
			Help:    "HTTP request latency by method and route template.",
			Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10},
		}, []string{"method", "route"}),
		inFlight: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "skillrecord_http_requests_in_flight",
			Help: "HTTP requests being served.",
		}),
		business: newBusinessMetrics(reg),
		series:   map[seriesKey]series{},
	}
	if reg != nil {
		reg.MustRegister(m.requests, m.duration, m.inFlight)
	}
	return m
}

func (m *httpMetrics) middleware() gin.HandlerFunc {
	return func(c *gin.Context) {
		start := time.Now()
		m.inFlight.Inc()
		defer m.inFlight.Dec()
		c.Next()
		route := routeOf(c)
		s := m.seriesOf(seriesKey{c.Request.Method, route, c.Writer.Status()})
		s.requests.Inc()
		s.duration.Observe(time.Since(start).Seconds())
		m.business.observe(c, route, c.Writer.Status())
	}
}

// seriesOf returns k's counter and histogram, looking them up on first use.
func (m *httpMetrics) seriesOf(k seriesKey) series {
	m.mu.RLock()
	s, ok := m.series[k]
	m.mu.RUnlock()
	if ok {
		return s
	}
	s = series{
		requests: m.requests.WithLabelValues(k.method, k.route, strconv.Itoa(k.status)),
		duration: m.duration.WithLabelValues(k.method, k.route),
	}
	m.mu.Lock()
	if len(m.series) < maxSeries { // methods come from clients: never let them grow the map
		m.series[k] = s
	}
	m.mu.Unlock()
	return s
}
