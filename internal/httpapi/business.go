package httpapi

import (
	"errors"
	"net/http"
	"runtime"
	"strings"

	"github.com/gin-gonic/gin"
	"github.com/prometheus/client_golang/prometheus"
)

// Context keys through which handlers tell the metrics middleware what happened, in one line
// (noteBatch, noteVerification) and without holding the collectors themselves.
const (
	ctxProblemCode  = "skillrecord.problem_code"  // the code word of a problem answer (writeProblem)
	ctxBatchResults = "skillrecord.batch_results" // []batchResultJSON of an accepted batch
	ctxVerification = "skillrecord.verification"  // outcome word of a verification answered 200
)

// businessMetrics count what operators watch besides HTTP traffic. Their labels are fixed
// words (statuses, code words, route templates), never identifiers or personal data.
type businessMetrics struct {
	recordsPosted  *prometheus.CounterVec // via (single, batch), status (created, unchanged)
	batchesRefused *prometheus.CounterVec // code
	verifications  *prometheus.CounterVec // kind (certificate, credential), outcome
	throttled      *prometheus.CounterVec // route
}

func newBusinessMetrics(reg prometheus.Registerer) *businessMetrics {
	m := &businessMetrics{
		recordsPosted: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "skillrecord_training_records_posted_total",
			Help: "Training records accepted, by how they came (single, batch) and status (created, unchanged = an identical re-post).",
		}, []string{"via", "status"}),
		batchesRefused: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "skillrecord_training_batches_refused_total",
			Help: "Training batches refused as a whole, by problem code word.",
		}, []string{"code"}),
		verifications: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "skillrecord_verifications_total",
			Help: "Certificate and credential verifications by kind and outcome (valid, revoked, expired, not_found, refused, or a credential's reason).",
		}, []string{"kind", "outcome"}),
		throttled: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "skillrecord_throttled_total",
			Help: "Requests refused with 429 by route template: sign-in lockouts, activation throttles, rate limits.",
		}, []string{"route"}),
	}
	m.recordsPosted = registerOnce(reg, m.recordsPosted)
	m.batchesRefused = registerOnce(reg, m.batchesRefused)
	m.verifications = registerOnce(reg, m.verifications)
	m.throttled = registerOnce(reg, m.throttled)
	return m
}

// observe counts the business outcome of the request c just answered with status.
func (m *businessMetrics) observe(c *gin.Context, route string, status int) {
	if status == http.StatusTooManyRequests {
		m.throttled.WithLabelValues(route).Inc()
	}
	if c.Request.Method != http.MethodPost {
		return
	}
	switch strings.TrimPrefix(route, "/api/v1") {
	case "/trainings":
		switch status {
		case http.StatusCreated:
			m.recordsPosted.WithLabelValues("single", "created").Inc()
		case http.StatusOK:
			m.recordsPosted.WithLabelValues("single", "unchanged").Inc()
		}
	case "/trainings/batch":
		if status >= 400 {
			m.batchesRefused.WithLabelValues(c.GetString(ctxProblemCode)).Inc()
			return
		}
		if results, ok := c.Get(ctxBatchResults); ok {
			for _, r := range results.([]batchResultJSON) {
				m.recordsPosted.WithLabelValues("batch", r.Status).Inc()
			}
		}
	case "/verify/certificates":
		m.verifications.WithLabelValues("certificate", verificationOutcome(c, status)).Inc()
	case "/verify/credential":
		m.verifications.WithLabelValues("credential", verificationOutcome(c, status)).Inc()
	}
}

func verificationOutcome(c *gin.Context, status int) string {
	switch status {
	case http.StatusOK:
		if o := c.GetString(ctxVerification); o != "" {
			return o
		}
		return "answered"
	case http.StatusNotFound:
		return "not_found"
	default:
		return "refused"
	}
}

// noteBatch hands an accepted batch's results to the metrics middleware.
func noteBatch(c *gin.Context, results []batchResultJSON) { c.Set(ctxBatchResults, results) }

// noteVerification hands a verification's outcome word (a certificate status, or "valid" or
// the reason of a credential check) to the metrics middleware.
func noteVerification(c *gin.Context, outcome string) { c.Set(ctxVerification, outcome) }

// validOr is "valid" for a credential that passed every check, else the reason word.
func validOr(valid bool, reason string) string {
	if valid {
		return "valid"
	}
	return reason
}

// registerBuildInfo publishes skillrecord_build_info{version, goversion} 1.
func registerBuildInfo(reg prometheus.Registerer, version string) {
	if version == "" {
		version = "dev"
	}
	g := prometheus.NewGaugeVec(prometheus.GaugeOpts{
		Name: "skillrecord_build_info",
		Help: "Always 1; the labels say which build is running.",
	}, []string{"version", "goversion"})
	registerOnce(reg, g).WithLabelValues(version, runtime.Version()).Set(1)
}

// registerOnce registers c on reg, or returns the equal collector registered before (tests
// build several handlers on one registry).
func registerOnce[C prometheus.Collector](reg prometheus.Registerer, c C) C {
	if reg == nil {
		return c
	}
	if err := reg.Register(c); err != nil {
		var are prometheus.AlreadyRegisteredError
		if errors.As(err, &are) {
			if existing, ok := are.ExistingCollector.(C); ok {
				return existing
			}
		}
		panic(err)
	}
	return c
}
