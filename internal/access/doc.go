// Package access is the record of who read a worker's data (个人信息查阅记录): every read by
// someone other than the worker — a certificate verification, a read through a share, an admin
// lookup — appends an Event the worker can list. Events are never changed or deleted. Storage
// is behind Store; HTTP, SQL and Redis are not known here.
package access
