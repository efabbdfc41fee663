package httpapi

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"skillrecord/api"
)

// docsPage serves the HTML page that renders api/openapi.yaml in a browser. Everything it
// loads comes from this server: the vendored Redoc script and the contract itself.
func docsPage() gin.HandlerFunc {
	return func(c *gin.Context) {
		c.Header("Cache-Control", "no-cache")
		c.Header("Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; worker-src 'self' blob:; object-src 'none'; frame-ancestors 'none'")
		c.Data(http.StatusOK, "text/html; charset=utf-8", api.DocsPage)
	}
}

// docsScript serves the vendored Redoc bundle that /docs loads.
func docsScript() gin.HandlerFunc {
	return func(c *gin.Context) {
		c.Header("Cache-Control", "public, max-age=86400")
		c.Data(http.StatusOK, "text/javascript; charset=utf-8", api.DocsScript)
	}
}
