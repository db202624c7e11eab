package emailtext

import (
	"strings"
)

// Forwarded says why a message is a forward rather than a reply, or "":
// its subject is marked as a forward (Fwd:, FW:, WG:, TR:, RV:, ENC:, I:,
// Doorst:, VL:, PD:, also after reply prefixes: "Re: Fwd: …"), or its text
// has an unquoted forwarded-message block (Gmail's and Thunderbird's
// "---------- Forwarded message ---------", Apple Mail's "Begin forwarded
// message:", and their German, French, Spanish, Portuguese, Italian and
// Dutch forms).
//
// Outlook marks a forward only in the subject: its forwarded block looks
// like the header block of a reply. Who else the message is addressed to is
// for the caller to judge; it knows which addresses are its own.
func Forwarded(subject, text string) string {
	if m := forwardSubject.FindStringSubmatch(subject); m != nil {
		return "the subject says so (" + Quote(strings.TrimSpace(m[1])) + ")"
	}
	for _, line := range strings.Split(text, "\n") {
		n := norm(line)
		if n == "" || strings.HasPrefix(n, ">") {
			continue
		}
		if forwardBlock.MatchString(n) {
			return "it has a forwarded-message block (" + Quote(n) + ")"
		}
	}
	return ""
}

const (
	forwardedWords = `forwarded message|weitergeleitete nachricht|message transféré|message transfere|mensaje reenviado|mensagem encaminhada|mensagem reencaminhada|messaggio inoltrato|doorgestuurd bericht`
	forwardedIntro = `begin forwarded message ?:|anfang der weitergeleiteten (nachricht|e-mail) ?:|début du message réexpédié ?:|début du message transféré ?:|inicio del mensaje reenviado ?:|início da mensagem (reencaminhada|encaminhada) ?:|inizio messaggio inoltrato ?:|begin doorgestuurd bericht ?:`
)

var (
	// forwardSubject matches a forward prefix, alone or after reply
	// prefixes ("Re:", "AW:", "SV:", "RES:", "R:", "Réf. :", "Odp:", with
	// or without a space before the colon or a counter such as "Re[2]:").
	forwardSubject = lazy(`(?i)^\s*(?:(?:re|aw|sv|antw|ref|réf|res|r|rif|odp|vs)\s*(?:\[\d+\])?\.?\s*:\s*)*\[?((?:fwd?|fw|wg|tr|rv|enc|i|doorst|vl|pd)\s*:)`)

	forwardBlock = lazy(`(?i)^([-‐‑–—]{3,} ?(` + forwardedWords + `) ?[-‐‑–—]{3,}|` + forwardedIntro + `)$`)
)
