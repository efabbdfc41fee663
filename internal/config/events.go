package config

import (
	"net/url"
	"regexp"
	"strings"
)

// streamName is what JetStream accepts as a stream name (no spaces, dots, wildcards or path
// separators), at most 64 characters here.
var streamName = regexp.MustCompile(`^[A-Za-z0-9_-]{1,64}$`)

// validateEvents checks the relay's settings: every URL of events.nats_url (comma-separated)
// a nats:// (or tls://) URL with a host, and a valid stream name.
func (c *Config) validateEvents(bad func(field, problem string) error) error {
	if !streamName.MatchString(c.Events.NATSStream) {
		return bad("events.nats_stream", "want 1 to 64 letters, digits, '_' or '-'")
	}
	if c.Events.NATSURL == "" {
		return nil
	}
	for _, raw := range strings.Split(c.Events.NATSURL, ",") {
		u, err := url.Parse(strings.TrimSpace(raw))
		if err != nil || (u.Scheme != "nats" && u.Scheme != "tls") || u.Hostname() == "" {
			// The URL may hold a password: the message never quotes it.
			return bad("events.nats_url", "want nats://host:port URLs, comma-separated")
		}
	}
	return nil
}
