package cache

import (
	"errors"

	"github.com/prometheus/client_golang/prometheus"
)

// Values of the result label of skillrecord_cache_requests_total.
const (
	ResultHit    = "hit"    // the value came from Redis
	ResultMiss   = "miss"   // Redis answered without a value; load was called
	ResultError  = "error"  // a Redis or decode error; load was called
	ResultBypass = "bypass" // the circuit was open, Redis was not asked; load was called
)

// Values of the op label of skillrecord_cache_errors_total.
const (
	opRead       = "read"       // the MGET of a Get failed
	opDecode     = "decode"     // a stored value could not be opened or decoded
	opEncode     = "encode"     // a loaded value could not be encoded or sealed
	opStore      = "store"      // the conditional write after a load failed
	opInvalidate = "invalidate" // an Invalidate failed
)

// metrics are the collectors of one Cache, shared by its Loaders. Labels carry the
// Loader name and fixed words only, never keys.
type metrics struct {
	requests    *prometheus.CounterVec   // cache, result
	errors      *prometheus.CounterVec   // cache, op
	loadSeconds *prometheus.HistogramVec // cache
	circuitOpen prometheus.Gauge
	untrusted   prometheus.Gauge
	replayed    prometheus.Counter
	unbatched   prometheus.Counter
}

// newMetrics builds the collectors and registers them on reg (nil: not registered). A
// collector that is already registered (a second Cache on the same registry) is reused.
func newMetrics(reg prometheus.Registerer) (*metrics, error) {
	m := &metrics{
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "skillrecord_cache_requests_total",
			Help: "Cache reads by cache name and result (hit, miss, error, bypass = circuit open).",
		}, []string{"cache", "result"}),
		errors: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "skillrecord_cache_errors_total",
			Help: "Failed cache operations by cache name and operation (read, decode, encode, store, invalidate).",
		}, []string{"cache", "op"}),
		loadSeconds: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "skillrecord_cache_load_seconds",
			Help:    "Duration of the load function called on a cache miss, by cache name.",
			Buckets: []float64{.0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5},
		}, []string{"cache"}),
		circuitOpen: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "skillrecord_cache_circuit_open",
			Help: "1 while the Redis circuit breaker is open (Redis is skipped), else 0.",
		}),
		untrusted: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "skillrecord_cache_untrusted",
			Help: "1 while cache reads skip Redis until invalidations that failed have been replayed, else 0.",
		}),
		replayed: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "skillrecord_cache_invalidations_replayed_total",
			Help: "Invalidations that failed at first and were applied later by the replay loop.",
		}),
		unbatched: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "skillrecord_cache_read_batch_refused_total",
			Help: "Requests' cache reads that could not join a round trip to Redis: the read batcher's queue stayed full until the request gave up, or the cache was closing.",
		}),
	}
	var err error
	if m.requests, err = register(reg, m.requests); err != nil {
		return nil, err
	}
	if m.errors, err = register(reg, m.errors); err != nil {
		return nil, err
	}
	if m.loadSeconds, err = register(reg, m.loadSeconds); err != nil {
		return nil, err
	}
	if m.circuitOpen, err = register(reg, m.circuitOpen); err != nil {
		return nil, err
	}
	if m.untrusted, err = register(reg, m.untrusted); err != nil {
		return nil, err
	}
	if m.replayed, err = register(reg, m.replayed); err != nil {
		return nil, err
	}
	if m.unbatched, err = register(reg, m.unbatched); err != nil {
		return nil, err
	}
	return m, nil
}

// register registers c on reg, or returns the equal collector registered before.
func register[C prometheus.Collector](reg prometheus.Registerer, c C) (C, error) {
	if reg == nil {
		return c, nil
	}
	if err := reg.Register(c); err != nil {
		var are prometheus.AlreadyRegisteredError
		if errors.As(err, &are) {
			if existing, ok := are.ExistingCollector.(C); ok {
				return existing, nil
			}
		}
		return c, err
	}
	return c, nil
}

// loaderMetrics are the children of metrics for one Loader name, resolved once so the
// hot path does no label lookups.
type loaderMetrics struct {
	hit, miss, error, bypass                               prometheus.Counter
	errRead, errDecode, errEncode, errStore, errInvalidate prometheus.Counter
	load                                                   prometheus.Observer
}

func (m *metrics) forLoader(name string) loaderMetrics {
	return loaderMetrics{
		hit:           m.requests.WithLabelValues(name, ResultHit),
		miss:          m.requests.WithLabelValues(name, ResultMiss),
		error:         m.requests.WithLabelValues(name, ResultError),
		bypass:        m.requests.WithLabelValues(name, ResultBypass),
		errRead:       m.errors.WithLabelValues(name, opRead),
		errDecode:     m.errors.WithLabelValues(name, opDecode),
		errEncode:     m.errors.WithLabelValues(name, opEncode),
		errStore:      m.errors.WithLabelValues(name, opStore),
		errInvalidate: m.errors.WithLabelValues(name, opInvalidate),
		load:          m.loadSeconds.WithLabelValues(name),
	}
}
