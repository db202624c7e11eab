package emailtext

import "strings"

// Unflow undoes RFC 3676 format=flowed: a line ending in a space continues on
// the next line of the same quote depth. Quoted lines come back as
// "> text" (">" per level), space-stuffing is removed, and the signature
// separator "-- " is never joined. text must use "\n" line ends.
func Unflow(text string, delsp bool) string {
	var (
		out   strings.Builder
		para  strings.Builder
		depth = -1 // quote depth of the open paragraph; -1 when none is open
	)
	flush := func() {
		if depth < 0 {
			return
		}
		if depth > 0 {
			out.WriteString(strings.Repeat(">", depth))
			if para.Len() > 0 {
				out.WriteByte(' ')
			}
		}
		out.WriteString(para.String())
		out.WriteByte('\n')
		para.Reset()
		depth = -1
	}
	lines := strings.Split(text, "\n")
	last := len(lines) - 1
	if lines[last] == "" {
		lines = lines[:last] // the text's final line end
	}
	for _, line := range lines {
		d := 0
		for d < len(line) && line[d] == '>' {
			d++
		}
		content := strings.TrimPrefix(line[d:], " ") // space-stuffing
		soft := strings.HasSuffix(content, " ") && content != "-- "
		if depth >= 0 && (d != depth || content == "-- ") {
			flush()
		}
		if soft && delsp {
			content = content[:len(content)-1]
		}
		para.WriteString(content)
		depth = d
		if !soft {
			flush()
		}
	}
	flush()
	s := out.String()
	if !strings.HasSuffix(text, "\n") {
		s = strings.TrimSuffix(s, "\n")
	}
	return s
}
