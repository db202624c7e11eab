package samtemplate

import (
	"fmt"
	"math"
	"regexp"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"
)

// Parameter is one entry of Parameters.
type Parameter struct {
	Name    string
	Node    *yaml.Node
	Default *yaml.Node // nil when it has none
	NoEcho  bool
}

// Parameters lists the template's parameters in document order.
func (t *Template) Parameters() []Parameter {
	var out []Parameter
	for _, p := range Pairs(Get(t.Root, "Parameters")) {
		ne := Get(p.Value, "NoEcho")
		out = append(out, Parameter{Name: p.Key, Node: p.Value, Default: Get(p.Value, "Default"),
			NoEcho: ne != nil && strings.EqualFold(ne.Value, "true")})
	}
	return out
}

// WithDefaults is refs with every parameter's scalar Default added where
// refs has no value of its own: a rig that resolves the template's
// environment then knows a new parameter as soon as it has a default.
func (t *Template) WithDefaults(refs map[string]string) map[string]string {
	out := map[string]string{}
	for _, p := range t.Parameters() {
		if p.Default != nil && p.Default.Kind == yaml.ScalarNode {
			out[p.Name] = p.Default.Value
		}
	}
	for k, v := range refs {
		out[k] = v
	}
	return out
}

var (
	// secretWords are words of a name that say it holds a secret.
	secretWords = []string{"secret", "secrets", "password", "passwd", "token", "key", "apikey", "credential", "credentials", "privatekey"}
	// referenceWords, as a name's last word, say that it only names or
	// locates a secret (an SSM parameter name, a path, an ARN).
	referenceWords = []string{"param", "parameter", "path", "name", "arn", "id", "prefix"}
	// envSecretName is the rule for environment variable names.
	envSecretName = regexp.MustCompile(`SECRET|KEY|TOKEN|PASSWORD`)
	// pathLike is an SSM parameter name or path, literal or with ${...}:
	// /a/b/c, ${Prefix}/c, or an ARN.
	pathLike = regexp.MustCompile(`^(arn:\S+|(\$\{[^}]+\})*(/[A-Za-z0-9_.\-]*(\$\{[^}]+\}[A-Za-z0-9_.\-]*)*)+)$`)
	// knownSecret matches well-known credential formats.
	knownSecret = regexp.MustCompile(`(A3T[A-Z0-9]|AKIA|ASIA|AGPA|AIDA|AROA)[A-Z0-9]{16}|-----BEGIN [A-Z ]*PRIVATE KEY|\bsk_live_[0-9a-zA-Z]{10,}|\bxox[abposr]-|\bghp_[0-9A-Za-z]{20,}|\bgithub_pat_|\bAIza[0-9A-Za-z_\-]{35}`)
	longHex     = regexp.MustCompile(`^[0-9a-fA-F]{32,}$`)
	wordBreak   = regexp.MustCompile(`([a-z0-9])([A-Z])`)
)

// words splits a name like ReplyTokenKeyParam or CARECOACH_TOKEN_KEY_PARAM
// into lower-case words.
func words(name string) []string {
	name = wordBreak.ReplaceAllString(name, "${1}_${2}")
	return strings.FieldsFunc(strings.ToLower(name), func(r rune) bool { return r == '_' || r == '-' || r == '.' || r == ' ' })
}

// SecretName says whether a parameter name suggests that its value is a
// secret (WebhookSecret, ApiKey, DbPassword), and not just the name or
// path of one (TokenKeyParam, SecretsPath).
func SecretName(name string) bool {
	w := words(name)
	if len(w) == 0 || slices.Contains(referenceWords, w[len(w)-1]) {
		return false
	}
	for _, x := range w {
		if slices.Contains(secretWords, x) {
			return true
		}
	}
	return false
}

// LooksSecret says whether a literal value looks like a credential: a
// well-known key format, or a long random-looking token.
func LooksSecret(v string) bool {
	if knownSecret.MatchString(v) {
		return true
	}
	if len(v) < 20 || strings.ContainsAny(v, " \t\n") || pathLike.MatchString(v) ||
		strings.Contains(v, "://") || strings.Contains(v, "@") || strings.HasPrefix(v, "arn:") {
		return false
	}
	var lower, upper, digit, other bool
	for _, r := range v {
		switch {
		case r >= 'a' && r <= 'z':
			lower = true
		case r >= 'A' && r <= 'Z':
			upper = true
		case r >= '0' && r <= '9':
			digit = true
		default:
			other = true
		}
	}
	classes := 0
	for _, b := range []bool{lower, upper, digit, other} {
		if b {
			classes++
		}
	}
	return longHex.MatchString(v) || (classes >= 3 && entropy(v) >= 3.5)
}

// entropy is the Shannon entropy of s in bits per character.
func entropy(s string) float64 {
	counts := map[rune]int{}
	n := 0
	for _, r := range s {
		counts[r]++
		n++
	}
	h := 0.0
	for _, c := range counts {
		p := float64(c) / float64(n)
		h -= p * math.Log2(p)
	}
	return h
}

// SecretProblems lists secrets the template holds or exposes:
//   - a parameter whose name says it holds a secret must have NoEcho: true
//     and no Default (a default would be a secret committed with the
//     template);
//   - no parameter Default may look like a credential;
//   - an environment variable whose name contains SECRET, KEY, TOKEN or
//     PASSWORD must hold the name or path of a secret (an SSM path such as
//     !Sub /carecoach/${Stage}/reply-token-key, an ARN, or a reference to a
//     resource), never a literal or a secret parameter;
//   - no environment value may look like a credential, whatever its name.
func SecretProblems(t *Template) []string {
	var out []string
	params := map[string]Parameter{}
	for _, p := range t.Parameters() {
		params[p.Name] = p
		where := fmt.Sprintf("Parameters.%s (line %d)", p.Name, p.Node.Line)
		if SecretName(p.Name) {
			if !p.NoEcho {
				out = append(out, where+": a secret parameter without NoEcho: true")
			}
			if p.Default != nil && p.Default.Value != "" {
				out = append(out, where+": a secret parameter with a Default")
			}
		}
		if p.Default != nil && LooksSecret(p.Default.Value) {
			out = append(out, where+": its Default looks like a secret")
		}
	}
	// A parameter's value that ends up in an environment variable.
	secretParam := func(name string) bool {
		p, ok := params[name]
		return ok && (p.NoEcho || SecretName(name))
	}
	for _, f := range t.Functions() {
		for _, name := range f.EnvNames() {
			v := f.Env[name]
			where := fmt.Sprintf("%s: environment variable %s (line %d)", f.ID, name, v.Line)
			fn, arg := Intrinsic(v)
			for _, ref := range Refers(v) {
				if secretParam(ref) {
					out = append(out, fmt.Sprintf("%s: holds the secret parameter %s", where, ref))
				}
			}
			switch fn {
			case "":
				if v.Kind == yaml.ScalarNode && LooksSecret(v.Value) {
					out = append(out, where+": its value looks like a secret")
				} else if envSecretName.MatchString(name) && !pathLike.MatchString(v.Value) {
					out = append(out, fmt.Sprintf("%s: a literal %q where a parameter name or SSM path belongs", where, v.Value))
				}
			case "!Sub":
				s := arg.Value
				if arg.Kind == yaml.SequenceNode && len(arg.Content) > 0 {
					s = arg.Content[0].Value
				}
				if LooksSecret(subVar.ReplaceAllString(s, "")) {
					out = append(out, where+": its value looks like a secret")
				} else if envSecretName.MatchString(name) && !pathLike.MatchString(s) {
					out = append(out, fmt.Sprintf("%s: %q is not a parameter name or SSM path", where, s))
				}
			case "!Ref":
				if p, ok := params[arg.Value]; ok && envSecretName.MatchString(name) && !secretParam(arg.Value) &&
					(p.Default == nil || !pathLike.MatchString(p.Default.Value)) {
					out = append(out, fmt.Sprintf("%s: the parameter %s has no path-like Default, so nothing shows that it holds a name rather than a secret", where, arg.Value))
				}
			}
		}
	}
	return out
}
