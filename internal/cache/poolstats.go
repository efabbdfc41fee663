package cache

import (
	"errors"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/redis/go-redis/v9"
)

// poolStats exports go-redis's connection-pool statistics (summed over the nodes of a Redis
// Cluster) as skillrecord_redis_pool_* metrics, read at scrape time.
type poolStats struct {
	client redis.UniversalClient

	hits, misses, timeouts, waits, waitSeconds, stale *prometheus.Desc
	total, idle, pending                              *prometheus.Desc
}

func newPoolStats(client redis.UniversalClient) *poolStats {
	d := func(name, help string) *prometheus.Desc {
		return prometheus.NewDesc("skillrecord_redis_pool_"+name, help, nil, nil)
	}
	return &poolStats{
		client:      client,
		hits:        d("hits_total", "Times a free connection was found in the Redis pool."),
		misses:      d("misses_total", "Times no free connection was found in the Redis pool (a new one was dialled or waited for)."),
		timeouts:    d("timeouts_total", "Times waiting for a Redis pool connection timed out."),
		waits:       d("waits_total", "Times a request waited for a Redis pool connection."),
		waitSeconds: d("wait_seconds_total", "Total time spent waiting for a Redis pool connection."),
		stale:       d("stale_connections_total", "Stale Redis connections removed from the pool."),
		total:       d("connections", "Redis connections in the pool."),
		idle:        d("idle_connections", "Idle Redis connections in the pool."),
		pending:     d("pending_requests", "Requests waiting for a Redis pool connection."),
	}
}

// Describe implements prometheus.Collector.
func (p *poolStats) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{p.hits, p.misses, p.timeouts, p.waits, p.waitSeconds, p.stale, p.total, p.idle, p.pending} {
		ch <- d
	}
}

// Collect implements prometheus.Collector.
func (p *poolStats) Collect(ch chan<- prometheus.Metric) {
	s := p.client.PoolStats()
	counter := func(d *prometheus.Desc, v float64) {
		ch <- prometheus.MustNewConstMetric(d, prometheus.CounterValue, v)
	}
	gauge := func(d *prometheus.Desc, v float64) { ch <- prometheus.MustNewConstMetric(d, prometheus.GaugeValue, v) }
	counter(p.hits, float64(s.Hits))
	counter(p.misses, float64(s.Misses))
	counter(p.timeouts, float64(s.Timeouts))
	counter(p.waits, float64(s.WaitCount))
	counter(p.waitSeconds, float64(s.WaitDurationNs)/1e9)
	counter(p.stale, float64(s.StaleConns))
	gauge(p.total, float64(s.TotalConns))
	gauge(p.idle, float64(s.IdleConns))
	gauge(p.pending, float64(s.PendingRequests))
}

// registerPoolStats registers the pool collector of client on reg (nil: not registered). When
// another Cache already registered one on reg, that one stays.
func registerPoolStats(reg prometheus.Registerer, client redis.UniversalClient) error {
	if reg == nil {
		return nil
	}
	if err := reg.Register(newPoolStats(client)); err != nil {
		var are prometheus.AlreadyRegisteredError
		if !errors.As(err, &are) {
			return err
		}
	}
	return nil
}
