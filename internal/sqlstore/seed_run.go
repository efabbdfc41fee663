package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
)

// ErrNotSynthetic refuses to seed a database that holds data seed did not make.
var ErrNotSynthetic = errors.New("refusing to seed: the database already holds data that `skillrecord seed` did not create " +
	"(no seed_runs marker); seed only an empty database or one that seed filled")

// SeedRun is a row of seed_runs: the marker of a database filled by `skillrecord seed`.
type SeedRun struct {
	ID           int64
	WorkerOffset int64 // person numbers of this run start here
	OrgOffset    int64 // organisation numbers of this run start here
}

// tablesWithData are the tables that, holding rows without a marker, show real data.
var tablesWithData = []string{"workers", "organizations", "trainings", "certificates"}

// StartSeedRun checks that the database is empty or was filled by seed (or fails with
// ErrNotSynthetic), and records the run before anything is written, so that even an
// interrupted run leaves its marker. The run's numbering continues after every earlier run's.
func (d *DB) StartSeedRun(ctx context.Context, seed int64, workers, institutions int, now time.Time) (SeedRun, error) {
	db := d.sql
	var runs int64
	if err := db.QueryRowContext(ctx, "SELECT COUNT(*) FROM seed_runs").Scan(&runs); err != nil {
		return SeedRun{}, fmt.Errorf("read seed_runs: %w", err)
	}
	if runs == 0 {
		var found []string
		for _, table := range tablesWithData {
			var one int
			err := db.QueryRowContext(ctx, "SELECT 1 FROM "+table+" LIMIT 1").Scan(&one)
			switch {
			case errors.Is(err, sql.ErrNoRows):
			case err != nil:
				return SeedRun{}, fmt.Errorf("look into %s: %w", table, err)
			default:
				found = append(found, table)
			}
		}
		if len(found) > 0 {
			return SeedRun{}, fmt.Errorf("%w (rows in %s)", ErrNotSynthetic, strings.Join(found, ", "))
		}
	}
	var run SeedRun
	err := db.QueryRowContext(ctx, "SELECT COALESCE(MAX(worker_offset + workers), 0), COALESCE(MAX(org_offset + institutions * 2), 0) FROM seed_runs").
		Scan(&run.WorkerOffset, &run.OrgOffset)
	if err != nil {
		return SeedRun{}, fmt.Errorf("read seed_runs: %w", err)
	}
	res, err := db.ExecContext(ctx, "INSERT INTO seed_runs (seed, workers, institutions, worker_offset, org_offset, started_at) VALUES (?, ?, ?, ?, ?, ?)",
		fmt.Sprint(seed), workers, institutions, run.WorkerOffset, run.OrgOffset, now.UTC())
	if err != nil {
		return SeedRun{}, fmt.Errorf("record the seed run: %w", err)
	}
	if run.ID, err = res.LastInsertId(); err != nil {
		return SeedRun{}, fmt.Errorf("record the seed run: %w", err)
	}
	return run, nil
}

// FinishSeedRun records that the run completed.
func (d *DB) FinishSeedRun(ctx context.Context, run SeedRun, now time.Time) error {
	_, err := d.sql.ExecContext(ctx, "UPDATE seed_runs SET finished_at = ? WHERE id = ?", now.UTC(), run.ID)
	return err
}
