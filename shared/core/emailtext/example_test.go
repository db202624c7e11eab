package emailtext_test

import (
	"fmt"

	"github.com/carecoach/carecoach/shared/core/emailtext"
)

func ExampleStripReply() {
	text := "1: share\nskip 2\n\nSent from my iPhone\n\n" +
		"> On 7 Dec 2026, at 08:14, carecoach <carecoach@acme-support.example> wrote:\n" +
		"> \n> " + emailtext.ReplyMarker + "\n> 1. Ana Silva answered Maria Lopez within 12 minutes on ticket #5158\n"
	fmt.Println(emailtext.StripReply(text))
	// Output:
	// 1: share
	// skip 2
}
