package mail_test

import (
	"bytes"
	htmltemplate "html/template"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
	texttemplate "text/template"
	"time"

	"github.com/carecoach/carecoach/shared/ui/mail"
)

// The emails used to be testdata/templates run by html/template (the HTML
// part) and text/template (the text part). The plain Go writers must write
// the same bytes: same markup, same escaping in every context, same
// treatment of links, same text. They are held to the old templates on the
// golden inputs, on inputs whose every field is hostile, and on many
// random mixes of hostile, empty and ordinary fields (every branch).

type oracle struct {
	html *htmltemplate.Template
	text *texttemplate.Template
}

func oracles(t *testing.T) oracle {
	t.Helper()
	h, err := htmltemplate.New("").Funcs(mail.OracleFuncs).ParseGlob("testdata/templates/*.html")
	if err != nil {
		t.Fatal(err)
	}
	x, err := texttemplate.New("").Funcs(mail.OracleFuncs).ParseGlob("testdata/templates/*.txt")
	if err != nil {
		t.Fatal(err)
	}
	return oracle{h, x}
}

// Every input a golden file is written from.
func goldenInputs() []any {
	return []any{
		reminder(), warning(), followUp(), commitment(), alert(), answerableAlert(),
		digest(), praiseFeedback(), coachingFeedback(), recognition(), confirmation(), refusedConfirmation(),
		climate(), anonymousClimateQuestion(), kudos(), kudosReceipt(), misunderstoodKudos(),
		checkBack(), checkBackThanks(), digestWithUpward(),
	}
}

// hostile is markup, quotes, plus signs, NULs, blank lines and non-ASCII.
const hostile = "Ana <b>\"O'Neil\"</b> & +1 \x00 ✓ </title><script>x</script>\n\n  then  "

var (
	texts = []string{"", hostile, "  spaced \r\n\n out  ", "é ✓ 日本 — “quoted”", "O'Neil & <b>Co</b> +1"}
	links = []string{"", "javascript:alert(1)", "https://x.example/a?b=1&c=\"d\" e'<f>+é#g", "mailto:a+b@x.example",
		"/t/\"é 'x'<y>", "DATA:text/html;base64,PHNjcmlwdD4=", " http://x.example/", "HTTP://X.EXAMPLE/caf%C3%a9/%zz(1)?q=%4", "a/b:c"}
	durations = []time.Duration{0, 30 * time.Second, 90 * time.Minute, -5 * time.Minute, 100 * time.Hour, 4*time.Hour + 48*time.Minute}
)

func TestEveryEmailIsWrittenExactlyAsItsTemplateWroteIt(t *testing.T) {
	o := oracles(t)
	for _, in := range goldenInputs() {
		name, _, _, _ := mail.Parts(in)
		t.Run(name, func(t *testing.T) {
			same(t, o, in, "the golden input")
			all := reflect.New(reflect.TypeOf(in)).Elem()
			all.Set(reflect.ValueOf(in))
			for _, link := range links {
				fill(all, hostile, link)
				same(t, o, all.Interface(), "every field hostile, links "+link)
			}
			for seed := range uint64(300) {
				r := rand.New(rand.NewPCG(seed, 16))
				v := reflect.New(reflect.TypeOf(in)).Elem()
				v.Set(reflect.ValueOf(in))
				mutate(r, v, "")
				if !same(t, o, v.Interface(), "random mix") {
					t.Fatalf("random mix of seed %d: %#v", seed, v.Interface())
				}
			}
		})
	}
}

// same reports whether both parts are as the templates write them.
func same(t *testing.T, o oracle, in any, what string) bool {
	t.Helper()
	name, view, h, x := mail.Parts(in)
	var wantH, wantX bytes.Buffer
	if err := o.html.ExecuteTemplate(&wantH, name+".html", view); err != nil {
		t.Fatal(err)
	}
	if err := o.text.ExecuteTemplate(&wantX, name+".txt", view); err != nil {
		t.Fatal(err)
	}
	return diff(t, what+", HTML", h, wantH.String()) && diff(t, what+", text", x, wantX.String())
}

func diff(t *testing.T, what, got, want string) bool {
	t.Helper()
	if got == want {
		return true
	}
	g, w := strings.Split(got, "\n"), strings.Split(want, "\n")
	for i := range max(len(g), len(w)) {
		var gl, wl string
		if i < len(g) {
			gl = g[i]
		}
		if i < len(w) {
			wl = w[i]
		}
		if gl != wl {
			t.Errorf("%s: line %d differs:\n got %q\nwant %q", what, i+1, gl, wl)
			return false
		}
	}
	t.Errorf("%s: differs", what)
	return false
}

// link says whether a field holds a URL or an address.
func link(field string) bool {
	return strings.Contains(field, "URL") || strings.Contains(field, "Email") || strings.Contains(field, "Address")
}

// fill sets every string in v to s, or to url where a link goes.
func fill(v reflect.Value, s, url string) {
	walk(v, "", func(v reflect.Value, field string) {
		if v.Kind() == reflect.Pointer && v.IsNil() {
			v.Set(reflect.New(v.Type().Elem()))
		}
		if v.Kind() == reflect.String {
			if link(field) {
				v.SetString(url)
			} else {
				v.SetString(s)
			}
		}
	}, func(v reflect.Value) int { return max(v.Len(), 1) })
}

// mutate sets every field of v to a random value of its kind.
func mutate(r *rand.Rand, v reflect.Value, field string) {
	walk(v, field, func(v reflect.Value, field string) {
		switch {
		case v.Type() == reflect.TypeFor[time.Time]():
			switch r.IntN(3) {
			case 0:
				v.Set(reflect.ValueOf(time.Time{}))
			case 1:
				v.Set(reflect.ValueOf(v.Interface().(time.Time).Add(37 * time.Hour).In(time.UTC)))
			}
		case v.Type() == reflect.TypeFor[time.Duration]():
			v.SetInt(int64(durations[r.IntN(len(durations))]))
		case v.Kind() == reflect.String && link(field):
			v.SetString(links[r.IntN(len(links))])
		case v.Kind() == reflect.String:
			if i := r.IntN(len(texts) + 1); i < len(texts) {
				v.SetString(texts[i])
			}
		case v.Kind() == reflect.Bool:
			v.SetBool(r.IntN(2) == 0)
		case v.Kind() == reflect.Int:
			v.SetInt([]int64{0, 1, 2, 12, v.Int()}[r.IntN(5)])
		case v.Kind() == reflect.Float64:
			v.SetFloat([]float64{0, 2.5, v.Float()}[r.IntN(3)])
		case v.Kind() == reflect.Pointer && r.IntN(3) == 0:
			v.SetZero()
		case v.Kind() == reflect.Pointer && v.IsNil():
			v.Set(reflect.New(v.Type().Elem()))
		}
	}, func(v reflect.Value) int { return r.IntN(v.Len() + 2) })
}

// walk calls set on every settable value in v, depth first, after giving
// slices a fresh backing array of length n(slice) (extra elements copy the
// first, or are zero) and pointers a fresh copy of what they point to, so
// that no input shares what is changed.
func walk(v reflect.Value, field string, set func(reflect.Value, string), n func(reflect.Value) int) {
	set(v, field)
	switch v.Kind() {
	case reflect.Struct:
		if v.Type() == reflect.TypeFor[time.Time]() {
			return
		}
		for i := range v.NumField() {
			if f := v.Field(i); f.CanSet() {
				walk(f, v.Type().Field(i).Name, set, n)
			}
		}
	case reflect.Pointer:
		if v.IsNil() {
			return
		}
		p := reflect.New(v.Type().Elem())
		p.Elem().Set(v.Elem())
		v.Set(p)
		walk(p.Elem(), field, set, n)
	case reflect.Slice:
		l := n(v)
		s := reflect.MakeSlice(v.Type(), l, l)
		for i := range s.Len() {
			switch {
			case i < v.Len():
				s.Index(i).Set(v.Index(i))
			case v.Len() > 0:
				s.Index(i).Set(v.Index(0))
			}
		}
		v.Set(s)
		for i := range s.Len() {
			walk(s.Index(i), field, set, n)
		}
	}
}
