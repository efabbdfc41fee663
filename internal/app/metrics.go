package app

import (
	"errors"

	"github.com/prometheus/client_golang/prometheus"
)

// accessEventsCounter returns the function that counts access-log writes into
// skillrecord_access_events_written_total, registered on reg (nil: not registered).
func accessEventsCounter(reg prometheus.Registerer) func(n int) {
	c := prometheus.NewCounter(prometheus.CounterOpts{
		Name: "skillrecord_access_events_written_total",
		Help: "Access events (reads of a worker's data by others) written to the access log; buffered verification events count when their batch is written.",
	})
	if reg != nil {
		if err := reg.Register(c); err != nil {
			var are prometheus.AlreadyRegisteredError
			if !errors.As(err, &are) {
				panic(err)
			}
			c = are.ExistingCollector.(prometheus.Counter)
		}
	}
	return func(n int) { c.Add(float64(n)) }
}
