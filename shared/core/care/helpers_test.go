package care_test

import (
	"fmt"
	"strings"
)

func fmtV(v any) string           { return fmt.Sprintf("%v %+v", v, v) }
func contains(s, sub string) bool { return strings.Contains(s, sub) }
