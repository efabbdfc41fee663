// Package page holds the list contract shared by every paginated route: ?limit= (default 20,
// max 100) and an opaque cursor that encodes where the previous page stopped. It knows nothing
// of SQL or HTTP.
package page
