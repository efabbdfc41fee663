package cli

import (
	"context"
	"fmt"
	"text/tabwriter"
	"time"
)

// migrate runs `migrate up` or `migrate status`.
func migrate(ctx context.Context, e Env, args []string) error {
	if len(args) != 1 || (args[0] != "up" && args[0] != "status") {
		fmt.Fprintln(e.Stderr, "usage: skillrecord migrate up|status")
		return fmt.Errorf("%w: migrate needs up or status", ErrUsage)
	}
	cfg, log, err := loadConfig(e)
	if err != nil {
		return err
	}
	announceStorage(log, cfg, e.Version)
	db, err := openDB(ctx, cfg, log, args[0] == "up")
	if err != nil {
		return err
	}
	defer closeQuietly(log, "database", db)
	if args[0] == "up" {
		return nil
	}
	states, err := db.MigrationStatus(ctx)
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(e.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "VERSION\tSTATE\tAPPLIED AT\tSOURCE")
	for _, s := range states {
		state, at := "pending", "-"
		if s.Applied {
			state, at = "applied", s.AppliedAt.UTC().Format(time.RFC3339)
		}
		fmt.Fprintf(tw, "%05d\t%s\t%s\t%s\n", s.Version, state, at, s.Source)
	}
	return tw.Flush()
}
