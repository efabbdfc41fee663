// Package web holds the mobile pages (H5) built into the binary: the worker's pages (/app/),
// the institution staff's (/org/) and the employer staff's (/verify/), with their scripts and
// styles. The pages are plain HTML, CSS and ES modules that call the JSON API with
// Accept-Language: zh-CN; they load nothing from elsewhere (no CDN, no external font), keep
// tokens in sessionStorage and never in a URL, and run under a strict Content-Security-Policy
// (no inline script or style). QR codes are drawn in the page by the vendored qrcode-generator
// (MIT, static/qrcode.LICENSE.txt); credential signatures are checked in the page with
// WebCrypto's Ed25519 against /.well-known/jwks.json. Codes shown as QR codes (a class's
// check-in code, a voucher's code, a credential) are read with the camera where the browser has
// BarcodeDetector, and can always be typed or pasted.
//
// This package serves bytes only: it knows neither HTTP routing (gin) nor the API's domain.
package web
