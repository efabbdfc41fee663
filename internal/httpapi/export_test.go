package httpapi

import "skillrecord/internal/auth"

// AccessTable exposes the access table to the external tests.
func AccessTable() map[string][]auth.Role { return access }
