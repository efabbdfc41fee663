package httpapi

import (
	"log/slog"
	"net/http"

	"github.com/gin-gonic/gin"

	"skillrecord/internal/errs"
	"skillrecord/internal/web"
)

// webPage serves one of the mobile pages (package web) under its Content-Security-Policy.
func webPage(area string) gin.HandlerFunc {
	body, ok := web.Page(area)
	if !ok {
		panic("no page for area " + area)
	}
	return func(c *gin.Context) {
		c.Header("Cache-Control", "no-cache")
		c.Header("Content-Security-Policy", web.CSP)
		c.Header("X-Content-Type-Options", "nosniff")
		c.Header("Referrer-Policy", "no-referrer")
		c.Data(http.StatusOK, "text/html; charset=utf-8", body)
	}
}

// toPage sends an address typed without its trailing slash (/app) to the page (/app/) with
// 301, keeping the query. The router itself redirects nothing (server.go), so that an API path
// answers exactly what it is.
func toPage(page string) gin.HandlerFunc {
	return func(c *gin.Context) {
		to := page
		if q := c.Request.URL.RawQuery; q != "" {
			to += "?" + q
		}
		c.Redirect(http.StatusMovedPermanently, to)
	}
}

// pageAsset serves the scripts and styles the pages load.
func pageAsset(log *slog.Logger) gin.HandlerFunc {
	return func(c *gin.Context) {
		body, ct, ok := web.Asset(c.Param("file"))
		if !ok {
			respondError(c, log, errs.NotFound("not_found", "no such resource"))
			return
		}
		c.Header("Cache-Control", "no-cache")
		c.Header("X-Content-Type-Options", "nosniff")
		c.Data(http.StatusOK, ct, body)
	}
}
