package app

import (
	"fmt"
	"strings"
)

// FromDomainAuthenticated says whether the receiving server proved that
// the From address's domain sent the message: DMARC passed, or a DKIM
// signature it verified is aligned with the From domain (the same domain,
// or one a subdomain of the other: DMARC's relaxed alignment, without the
// public suffix list, so sibling subdomains do not count). SPF alone never
// does: it checks the envelope sender, which may be any domain, not the
// From address a kudos names as its sender. A reply to a prompt needs less
// (Trusted): its signed token already binds it to its one recipient.
func (v Verdicts) FromDomainAuthenticated(from string) (bool, string) {
	if pass(v.DMARC) {
		return true, ""
	}
	_, domain, _ := strings.Cut(strings.ToLower(strings.TrimSpace(from)), "@")
	if pass(v.DKIM) && domain != "" {
		for _, d := range v.DKIMDomains {
			if aligned(strings.ToLower(strings.TrimSuffix(d, ".")), domain) {
				return true, ""
			}
		}
	}
	return false, fmt.Sprintf("kudos sender's domain not authenticated: dmarc=%s and no passing DKIM signature of %s (dkim=%s for %v, spf=%s)",
		v.DMARC, domain, v.DKIM, v.DKIMDomains, v.SPF)
}

func aligned(a, b string) bool {
	return a != "" && (a == b || strings.HasSuffix(a, "."+b) || strings.HasSuffix(b, "."+a))
}
