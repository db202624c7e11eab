package awslambda

import (
	"strings"

	"github.com/aws/aws-lambda-go/events"
)

// sesAuthServID is how SES names itself in the Authentication-Results
// header it adds to each message it receives.
const sesAuthServID = "amazonses.com"

// dkimPassDomains lists the domains of the DKIM signatures SES verified,
// from the Authentication-Results header SES put on top of the message
// ("amazonses.com; spf=pass ...; dkim=pass header.i=@acme.example; ...").
// Only the topmost header counts, and only when SES wrote it: a sender can
// put a header of that name, claiming anything, lower down.
func dkimPassDomains(headers []events.SimpleEmailHeader) []string {
	for _, h := range headers {
		if !strings.EqualFold(h.Name, "Authentication-Results") {
			continue
		}
		parts := strings.Split(stripComments(h.Value), ";")
		if !strings.EqualFold(strings.TrimSpace(parts[0]), sesAuthServID) {
			return nil
		}
		var out []string
		for _, p := range parts[1:] {
			fields := strings.Fields(p)
			if len(fields) == 0 || !strings.EqualFold(fields[0], "dkim=pass") {
				continue
			}
			for _, f := range fields[1:] {
				k, v, _ := strings.Cut(f, "=")
				switch strings.ToLower(k) {
				case "header.d":
					out = append(out, v)
				case "header.i":
					if _, d, ok := strings.Cut(v, "@"); ok {
						out = append(out, d)
					}
				}
			}
		}
		return out
	}
	return nil
}

// stripComments removes RFC 5322 comments, "(...)", which may hold ';'.
func stripComments(s string) string {
	var b strings.Builder
	depth := 0
	for _, r := range s {
		switch {
		case r == '(':
			depth++
		case r == ')' && depth > 0:
			depth--
		case depth == 0:
			b.WriteRune(r)
		}
	}
	return b.String()
}
