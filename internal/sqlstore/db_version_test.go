package sqlstore

import "testing"

// Only MariaDB 10.5 and later answer INSERT … RETURNING; TiDB and MySQL do not parse it.
func TestMariaDBReturning_OnlyForMariaDB105AndLater(t *testing.T) {
	for version, want := range map[string]bool{
		"10.11.19-MariaDB-0+deb12u1":  true,
		"10.5.2-MariaDB-log":          true,
		"11.4.3-MariaDB":              true,
		"10.4.34-MariaDB":             false,
		"8.0.11-TiDB-v8.5.1":          false,
		"8.0.39":                      false,
		"5.5.5-10.11.6-MariaDB-0+deb": false, // the 5.5.5- prefix of old replication handshakes
	} {
		if got := mariaDBReturning(version); got != want {
			t.Errorf("mariaDBReturning(%q) = %v, want %v", version, got, want)
		}
	}
}
