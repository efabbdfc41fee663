// Command skillrecord is the lifelong vocational-training e-record service: one binary with the
// subcommands serve, migrate, admin and version. Everything happens in run, which tests call.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"

	"skillrecord/internal/cli"
)

// version is set at build time with -ldflags "-X main.version=…".
var version = "dev"

func main() {
	if err := run(context.Background(), os.Args, os.Getenv, os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "skillrecord:", err)
		if errors.Is(err, cli.ErrUsage) {
			os.Exit(2)
		}
		os.Exit(1)
	}
}

// run runs the command line args (program name first) with the given environment.
func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) > 0 {
		args = args[1:]
	}
	return cli.Run(ctx, cli.Env{Version: version, Args: args, Getenv: getenv, Stdout: stdout, Stderr: stderr})
}
