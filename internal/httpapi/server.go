package httpapi

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"skillrecord/internal/auth"
	"skillrecord/internal/errs"
)

// Deps is what the router needs. Everything is injected; nothing is global. A nil service
// leaves its routes answering 503, so partial wiring in tests fails loudly.
type Deps struct {
	Log *slog.Logger
	// RequestLog, if set, takes the line logged for each request that did not fail with a 5xx
	// (those go to Log): the server holds these lines back and writes them together.
	RequestLog *slog.Logger
	// RequestLines, if set, takes those lines in place of RequestLog: the same JSON line that
	// slog's JSON handler writes, built without it, written when RequestLog is enabled at INFO.
	RequestLines io.Writer
	DB           Pinger
	Cache        Pinger
	Metrics      *prometheus.Registry // served at /metrics; HTTP metrics are registered on it
	Limits       Limits
	// TrustedProxies are the CIDRs whose X-Forwarded-For is believed for the client IP.
	TrustedProxies []string
	Version        string
	Now            func() time.Time

	// Services, one per domain; their interfaces are declared beside their handlers.
	Auth    Authenticator
	Tokens  TokenService
	JWKS    func() any // the public signing keys document
	Orgs    OrgService
	Clients ClientIssuer
	// Staff manages organisations' named user accounts; PublicURL is the base of the
	// set-password links they are given.
	Staff     StaffService
	PublicURL string

	// Drain, if set, turns readiness to 503 and closes connections after each answer while
	// the instance drains before a shutdown (see ServeDraining).
	Drain *Drain

	// Throttling limits failed attempts on public routes other than sign-in (activation).
	Throttling *Throttling
	// Quotas limit lookups that miss (verifications, share-link opens); nil limits nothing.
	Quotas *Quotas

	// Worker views and conversions. RecordPrefetch, if set, announces a worker's summary read
	// at authentication so that it shares the deny-list check's round trip.
	RecordPrefetch func(ctx context.Context, workerID string) context.Context
	// VerifyPrefetch, if set, announces a certificate verification's lookup likewise.
	VerifyPrefetch func(ctx context.Context, certificateNo string) context.Context
	Records        RecordReader
	Credits        CreditReader
	Conversions    Converter

	// Cardholder registry and worker activation (package worker's Service).
	Cardholders CardholderImporter
	Workers     WorkerActivator

	// Training records: institutions post, list and void theirs; workers list their own
	// (package training's Service).
	Trainings TrainingService

	// Subsidised training classes: institutions file and run them, the bureau reviews them and
	// reads the supervision flags (package class's Service).
	Classes ClassService

	// Subsidy claims: institutions draft them, the bureau reviews them and resolves the
	// objections to their public notices, which anyone reads (package claim's Service).
	// ObjectionLimit counts objections per address (an hour's window); nil = no limit.
	Claims         ClaimService
	ObjectionLimit auth.Throttle

	// Disbursement of approved claims (package claim's Service) and the funds ledger (package
	// fund's Service).
	Disburser Disburser
	Funds     FundService

	// Workers' disputes of records and subsidy lines (package dispute's Service).
	Disputes DisputeService

	// Electronic training vouchers (package voucher's Service).
	Vouchers VoucherService

	// Evaluation is the performance evaluation of institutions' subsidised classes (package
	// evaluation's Service); the organisation stats add it when set.
	Evaluation EvaluationReader

	// Attendance of classes: bulk and phone check-ins, the rotating code (package class's
	// Checkins).
	Checkins CheckinService

	// Certificates: issue and revoke (evaluation organisations, training institutions), the
	// worker's own list, and verification (package certificate's Service).
	Certificates CertificateService
	Verifier     CertificateVerifier

	// Consent shares (package share's Service) and signed credentials (package credential's
	// Service).
	Shares      ShareService
	Credentials CredentialService

	// Reports: the indicator table, random inspections and institutions' figures (packages
	// indicator and inspection).
	Indicators  IndicatorService
	Inspections InspectionService
	OrgStats    OrgStatsReader

	// Information exchange (packages event and employment): the change-event feed, employment
	// data in and the employment follow-up.
	Events               EventFeed
	Employment           EmploymentImporter
	EmploymentEvaluation EmploymentEvaluator

	// Audit, access log and admin access: the audit trail (AuditTrail appends, the bureau
	// lists), the workers' access log, and the bureau's audited access by SSN (package audit).
	Audit       AuditLog
	AccessLog   AccessLogReader
	AdminAccess AdminWorkerAccess
}

// Throttling is a failure counter with its per-address and per-SSN limits. SSNKey turns a
// normalised SSN into its blind index (hex), the only form of it a counter's key may hold.
type Throttling struct {
	Throttle auth.Throttle
	PerIP    int
	PerSSN   int
	SSNKey   func(ssn string) string
}

// Limits are the request body limits.
type Limits struct {
	MaxBody      int64 // ordinary JSON bodies
	MaxBatchBody int64 // batch and import endpoints
	// MaxBatchUploads is how many batch and import requests are served at once (0 = no
	// limit); the others wait up to BatchUploadWait (0 = 5 s), then get 503 unavailable.
	MaxBatchUploads int
	BatchUploadWait time.Duration
}

// New builds the HTTP handler with every route of routes.go.
func New(d Deps) (http.Handler, error) {
	gin.SetMode(gin.ReleaseMode)
	r := gin.New()
	r.HandleMethodNotAllowed = true
	r.RedirectTrailingSlash = false
	r.RedirectFixedPath = false
	r.ContextWithFallback = true
	if err := r.SetTrustedProxies(d.TrustedProxies); err != nil {
		return nil, fmt.Errorf("invalid setting SKILLRECORD_HTTP_TRUSTED_PROXIES: %w", err)
	}
	if d.Metrics == nil {
		d.Metrics = prometheus.NewRegistry()
	}
	if d.Now == nil {
		d.Now = time.Now
	}
	m := newHTTPMetrics(d.Metrics)
	registerBuildInfo(d.Metrics, d.Version)
	// Order matters: the request id first so everything can quote it; the access log and
	// metrics outside recovery so that a panic is still logged and counted as a 500.
	if d.RequestLog == nil {
		d.RequestLog = d.Log
	}
	r.Use(requestID(), accessLog(d.Log, d.RequestLog, d.RequestLines), m.middleware(), recovery(d.Log), closeWhileDraining(d.Drain))
	r.NoRoute(func(c *gin.Context) {
		respondError(c, d.Log, errs.NotFound("not_found", "no such resource"))
	})
	r.NoMethod(func(c *gin.Context) {
		p := problemOf(errs.Malformed("method_not_allowed", "the method is not allowed on this resource"), requestIDOf(c))
		p.Status, p.Title = http.StatusMethodNotAllowed, http.StatusText(http.StatusMethodNotAllowed)
		writeProblem(c, p)
	})
	routes(r, d, promhttp.HandlerFor(d.Metrics, promhttp.HandlerOpts{Registry: d.Metrics}))
	return r, nil
}

// Serve serves on ln until ctx is cancelled, then stops accepting, lets in-flight requests
// finish for up to grace, and returns, without a drain period (see ServeDraining).
func Serve(ctx context.Context, srv *http.Server, ln net.Listener, grace time.Duration, log *slog.Logger) error {
	return ServeDraining(ctx, srv, ln, nil, 0, grace, log)
}

// shutdown stops accepting and waits up to grace for in-flight requests.
func shutdown(ctx context.Context, srv *http.Server, errc <-chan error, grace time.Duration, log *slog.Logger) error {
	log.Info("shutting down: finishing in-flight requests", "grace", grace.String())
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), grace)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		_ = srv.Close()
		return fmt.Errorf("shutdown: in-flight requests did not finish within %s: %w", grace, err)
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("serve: %w", err)
	}
	return nil
}
