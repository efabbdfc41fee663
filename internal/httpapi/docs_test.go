package httpapi_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"skillrecord/internal/apitest"
)

func TestDocs_PageRendersTheServedContractWithTheVendoredScript(t *testing.T) {
	f := liveFixture(t)
	c := apitest.New(t, f.handler)
	page := c.Do("GET", "/docs", nil)
	require.Equal(t, http.StatusOK, page.Status)
	assert.True(t, strings.HasPrefix(page.Header.Get("Content-Type"), "text/html"))
	body := string(page.Body)
	assert.Contains(t, body, `spec-url="/api/v1/openapi.yaml"`)
	assert.Contains(t, body, `src="/docs/redoc.standalone.js"`)
	assert.NotContains(t, body, "https://", "the page loads nothing from outside the server")

	script := c.Do("GET", "/docs/redoc.standalone.js", nil)
	require.Equal(t, http.StatusOK, script.Status)
	assert.True(t, strings.HasPrefix(script.Header.Get("Content-Type"), "text/javascript"))
	assert.Greater(t, len(script.Body), 100_000, "the whole Redoc bundle is served")
}

func TestPages_AnAddressWithoutItsSlashIsSentToThePage(t *testing.T) {
	f := liveFixture(t)
	c := apitest.New(t, f.handler)
	for _, area := range []string{"app", "org", "verify"} {
		res := c.Do("GET", "/"+area, nil)
		require.Equal(t, http.StatusMovedPermanently, res.Status, area)
		assert.Equal(t, "/"+area+"/", res.Header.Get("Location"))
		page := c.Do("GET", res.Header.Get("Location"), nil)
		require.Equal(t, http.StatusOK, page.Status, area)
		assert.True(t, strings.HasPrefix(page.Header.Get("Content-Type"), "text/html"))
	}
	res := c.Do("GET", "/org?from=mail", nil)
	require.Equal(t, http.StatusMovedPermanently, res.Status)
	assert.Equal(t, "/org/?from=mail", res.Header.Get("Location"), "the query is kept")
}
