package cli

import (
	"context"
	"fmt"
	"log/slog"
)

// redisLog routes go-redis's own messages (dial failures, pool notes) into the service log at
// debug level; the cache logs outages itself, once per state change.
type redisLog struct{ log *slog.Logger }

func (r redisLog) Printf(ctx context.Context, format string, v ...any) {
	r.log.DebugContext(ctx, fmt.Sprintf(format, v...), "component", "go-redis")
}
