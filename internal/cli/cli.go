package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"runtime"
	"strings"
	"time"

	"skillrecord/internal/config"
)

// ErrUsage marks a command line that could not be understood; main exits 2 on it.
var ErrUsage = errors.New("usage")

// Env is what a run of the command sees of its process.
type Env struct {
	Version string
	Args    []string // without the program name
	Getenv  func(string) string
	Stdout  io.Writer
	Stderr  io.Writer
	Now     func() time.Time
}

const usage = `usage: skillrecord <command> [flags]

commands:
  serve                                       apply pending migrations and serve HTTP
  migrate up                                  apply pending migrations
  migrate status                              list migrations and whether each is applied
  admin create --username U --password P      create a bureau admin account
  seed --workers N --institutions M --seed S  fill an empty database with synthetic data
  version                                     print the version

Settings come from configs/skillrecord.yaml (SKILLRECORD_CONFIG) and SKILLRECORD_* variables.
`

// Run runs one command.
func Run(ctx context.Context, e Env) error {
	if e.Now == nil {
		e.Now = time.Now
	}
	if len(e.Args) == 0 {
		fmt.Fprint(e.Stderr, usage)
		return fmt.Errorf("%w: no command given", ErrUsage)
	}
	cmd, rest := e.Args[0], e.Args[1:]
	switch cmd {
	case "serve":
		return serve(ctx, e, rest)
	case "migrate":
		return migrate(ctx, e, rest)
	case "admin":
		return admin(ctx, e, rest)
	case "seed":
		return seedCommand(ctx, e, rest)
	case "version", "--version", "-version":
		fmt.Fprintf(e.Stdout, "skillrecord %s (%s)\n", e.Version, runtime.Version())
		return nil
	case "help", "-h", "--help", "-help":
		fmt.Fprint(e.Stdout, usage)
		return nil
	default:
		fmt.Fprint(e.Stderr, usage)
		return fmt.Errorf("%w: unknown command %q", ErrUsage, cmd)
	}
}

// loadConfig loads and validates the settings and builds the logger they ask for.
func loadConfig(e Env) (*config.Config, *slog.Logger, error) {
	cfg, err := config.Load(e.Getenv)
	if err != nil {
		return nil, nil, err
	}
	return cfg, newLogger(e.Stdout, cfg.Log.Level), nil
}

// serveLoggers are serve's loggers: log writes its lines at once, requests (the line of each
// HTTP request) holds its lines back and writes them together (see logWriter). Close writes
// what is held.
type serveLoggers struct {
	log, requests *slog.Logger
	out           *logWriter
}

func newServeLoggers(w io.Writer, level string) serveLoggers {
	out := newLogWriter(w, requestLogFlush)
	return serveLoggers{log: newLogger(out, level), requests: newLogger(out.Held(), level), out: out}
}

// newLogger logs JSON lines to w.
func newLogger(w io.Writer, level string) *slog.Logger {
	var l slog.Level
	switch strings.ToLower(level) {
	case "debug":
		l = slog.LevelDebug
	case "warn":
		l = slog.LevelWarn
	case "error":
		l = slog.LevelError
	default:
		l = slog.LevelInfo
	}
	return slog.New(slog.NewJSONHandler(w, &slog.HandlerOptions{Level: l}))
}
