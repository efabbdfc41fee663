package sqlstore

import "context"

// PackBundle and UnpackBundle are packBundle and unpackBundle (tests only).
var (
	PackBundle   = packBundle
	UnpackBundle = unpackBundle
)

// PackedAhead is how many of the events of ctx's transaction were packed ahead (tests only).
func PackedAhead(ctx context.Context) int {
	st := stateOf(ctx)
	st.mu.Lock()
	defer st.mu.Unlock()
	return st.upto
}
