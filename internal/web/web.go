package web

import (
	"embed"
	"path"
	"strings"
)

//go:embed static
var static embed.FS

// CSP is the Content-Security-Policy of every page: everything from this server, scripts only
// as files (no inline script or style), images also as data: URLs (the QR codes).
const CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

// Pages maps each area to its HTML page.
var Pages = map[string]string{"app": "app.html", "org": "org.html", "verify": "verify.html"}

// Page returns the HTML of area (app, org or verify).
func Page(area string) ([]byte, bool) {
	name, ok := Pages[area]
	if !ok {
		return nil, false
	}
	b, err := static.ReadFile("static/" + name)
	return b, err == nil
}

var types = map[string]string{
	".js":  "text/javascript; charset=utf-8",
	".css": "text/css; charset=utf-8",
	".txt": "text/plain; charset=utf-8",
	".svg": "image/svg+xml",
}

// Asset returns a script, style sheet or licence the pages load, with its content type; HTML
// pages and unknown names are not assets.
func Asset(name string) (body []byte, contentType string, ok bool) {
	if name != path.Base(name) || strings.HasPrefix(name, ".") {
		return nil, "", false
	}
	ct, known := types[path.Ext(name)]
	if !known {
		return nil, "", false
	}
	b, err := static.ReadFile("static/" + name)
	if err != nil {
		return nil, "", false
	}
	return b, ct, true
}
