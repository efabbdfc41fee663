package cli

import (
	"context"
	"flag"
	"fmt"

	"skillrecord/internal/auth"
	"skillrecord/internal/errs"
)

// admin runs `admin create --username U --password P`.
func admin(ctx context.Context, e Env, args []string) error {
	if len(args) == 0 || args[0] != "create" {
		fmt.Fprintln(e.Stderr, "usage: skillrecord admin create --username U --password P")
		return fmt.Errorf("%w: admin needs create", ErrUsage)
	}
	fs := flag.NewFlagSet("admin create", flag.ContinueOnError)
	fs.SetOutput(e.Stderr)
	username := fs.String("username", "", "the admin's login name (3-64 of a-z 0-9 . _ @ -)")
	password := fs.String("password", "", "the admin's password (8-128 characters with letters and digits)")
	if err := fs.Parse(args[1:]); err != nil {
		return fmt.Errorf("%w: %w", ErrUsage, err)
	}
	if *username == "" || *password == "" {
		fs.Usage()
		return fmt.Errorf("%w: --username and --password are required", ErrUsage)
	}
	cfg, log, err := loadConfig(e)
	if err != nil {
		return err
	}
	db, err := openDB(ctx, cfg, log, true)
	if err != nil {
		return err
	}
	defer closeQuietly(log, "database", db)
	a, err := auth.CreateAdmin(ctx, db, *username, *password, e.Now())
	if err != nil {
		if ae := errs.As(err); ae != nil && ae.Kind != errs.KindInternal {
			return fmt.Errorf("admin create: %s", ae.Message)
		}
		return fmt.Errorf("admin create: %w", err)
	}
	log.Info("admin created", "admin_id", a.ID, "username", a.Username)
	fmt.Fprintf(e.Stdout, "created admin %q (id %s)\n", a.Username, a.ID)
	return nil
}
