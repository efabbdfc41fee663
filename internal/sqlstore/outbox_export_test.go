package sqlstore

// PackBundle and UnpackBundle are packBundle and unpackBundle (tests only).
var (
	PackBundle   = packBundle
	UnpackBundle = unpackBundle
)
