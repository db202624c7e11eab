package mail

import "strings"

// Answerable emails — the digest, the confirmation and a bad-rating alert
// with Help — are answered by reply. Both parts open with care.ReplyMarker
// (render.go writes the shared marker line and the "How to reply" footer),
// because the inbound path cuts everything from that line down.
// Emails to agents and to the team are not answerable and carry no marker.

// teamTags labels a message for delivery events: its kind and, when known,
// the team it is about.
func teamTags(kind, team string) map[string]string {
	tags := map[string]string{"kind": kind}
	if team != "" {
		tags["team"] = team
	}
	return tags
}

// firstNonEmpty is the first of ss that is not empty, or "".
func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}

// verbatim is text the caller wrote over several lines, such as the reply
// grammar, without blank lines around it and with plain line ends.
func verbatim(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	return strings.TrimRight(strings.TrimLeft(s, "\n"), " \t\n")
}
