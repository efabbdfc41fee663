// Package text holds the rule every free-text field of the API follows (course names,
// occupation names, reasons, programmes): trimmed, valid UTF-8, bounded in characters, and
// free of control, format and line-separator characters that could forge log lines or hide
// content; and AppendJSON, the one JSON string writer of the hand-built JSON lines and
// outbox bundles. It depends on nothing.
package text
