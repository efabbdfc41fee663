// Command barestack is the yardstick of the load run: gin answering every GET /x with the
// value of one Redis key, read with go-redis. It is what the service is built from, without
// anything the service adds.
package main

import (
	"context"
	"flag"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/redis/go-redis/v9"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "barestack:", err)
		os.Exit(1)
	}
}

func run() error {
	addr := flag.String("addr", "127.0.0.1:0", "listen address")
	redisAddr := flag.String("redis", "127.0.0.1:6379", "Redis address")
	key := flag.String("key", "barestack", "the key to GET")
	flag.Parse()
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, syscall.SIGINT)
	defer stop()

	cl := redis.NewClient(&redis.Options{Addr: *redisAddr, PoolSize: 64})
	defer cl.Close()
	if err := cl.Set(ctx, *key, `{"status":"valid","type":"skill_level","level":3}`, 0).Err(); err != nil {
		return err
	}
	gin.SetMode(gin.ReleaseMode)
	r := gin.New()
	r.GET("/x", func(c *gin.Context) {
		v, err := cl.Get(c.Request.Context(), *key).Bytes()
		if err != nil {
			c.Status(http.StatusInternalServerError)
			return
		}
		c.Data(http.StatusOK, "application/json", v)
	})
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	// The address on standard output is this program's answer (the load run reads its first
	// line), not a log line.
	if _, err := fmt.Fprintln(os.Stdout, ln.Addr().String()); err != nil {
		return err
	}
	srv := &http.Server{Handler: r, ReadHeaderTimeout: 10 * time.Second}
	go func() {
		<-ctx.Done()
		_ = srv.Close()
	}()
	if err := srv.Serve(ln); err != http.ErrServerClosed {
		return err
	}
	return cl.Del(context.Background(), *key).Err()
}
