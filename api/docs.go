package api

import _ "embed"

// DocsPage is the HTML page that renders the contract in a browser (served at /docs).
//
//go:embed docs/index.html
var DocsPage []byte

// DocsScript is Redoc's standalone bundle, vendored from the npm package "redoc" (MIT licence,
// docs/REDOC-LICENSE) so that /docs loads nothing from outside the server. Refresh it with
// `make docs-vendor` after changing the version pinned in package.json.
//
//go:embed docs/redoc.standalone.js
var DocsScript []byte
