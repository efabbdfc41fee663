package web_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"

	"skillrecord/internal/web"
)

func TestAsset_ServesScriptsAndStylesButNotPagesOrPaths(t *testing.T) {
	_, ct, ok := web.Asset("app.js")
	assert.True(t, ok)
	assert.True(t, strings.HasPrefix(ct, "text/javascript"))
	for _, name := range []string{"app.html", "../web.go", "static/app.js", ".hidden.js", "nope.js", ""} {
		_, _, ok := web.Asset(name)
		assert.Falsef(t, ok, "%q is not an asset", name)
	}
}

func TestPages_LoadNoInlineScriptAndNothingFromElsewhere(t *testing.T) {
	for area := range web.Pages {
		body, ok := web.Page(area)
		assert.True(t, ok, area)
		html := string(body)
		assert.NotContains(t, html, "<script>", "%s has an inline script", area)
		assert.NotContains(t, html, "style=", "%s has an inline style", area)
		assert.NotContains(t, html, "http://", area)
		assert.NotContains(t, html, "https://", area)
	}
}
