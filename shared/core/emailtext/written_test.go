package emailtext_test

import (
	"slices"
	"testing"

	"github.com/carecoach/carecoach/shared/core/emailtext"
)

// digestItem is a line of a digest as a client quotes it.
const digestItem = "Ana Silva answered Maria Lopez within 12 minutes on ticket #5158"

const quotedDigest = "> " + emailtext.ReplyMarker + "\n>\n> Hi Jordan,\n>\n> " + digestItem + "\n"

var stripCases = []struct {
	name string
	in   string
	want string
}{
	// Nothing to strip.
	{"a reply without history is kept whole", "1: share\nskip 2\n", "1: share\nskip 2"},
	{"an empty text stays empty", "", ""},
	{"a text of blank lines is empty", "\n \n\t\n", ""},

	// Our marker.
	{"the reply marker cuts the text and everything after it",
		"1: share\n\n" + emailtext.ReplyMarker + "\n\nHi Jordan,\n" + digestItem + "\n", "1: share"},
	{"the reply marker cuts even when it is not on its own line",
		"skip 3\nFwd: " + emailtext.ReplyMarker + " (sent 7 Dec)\n" + digestItem, "skip 3"},
	{"the reply marker cuts when a client changed its case",
		"skip 3\n##- PLEASE TYPE YOUR REPLY ABOVE THIS LINE -##\n" + digestItem, "skip 3"},
	{"a text that starts with the marker has no reply",
		emailtext.ReplyMarker + "\n1: share\n", ""},

	// Attribution lines.
	{"a Gmail attribution on one line cuts",
		"1: share\n\nOn Mon, 7 Dec 2026 at 08:14, carecoach <carecoach@acme-support.example> wrote:\n\n" + quotedDigest, "1: share"},
	{"a Gmail attribution wrapped onto two lines cuts",
		"1: share\n\nOn Mon, 7 Dec 2026 at 08:14, carecoach <carecoach@acme-support.example>\nwrote:\n\n" + quotedDigest, "1: share"},
	{"an attribution wrapped inside the address cuts",
		"1: share\nOn Mon, 7 Dec 2026 at 08:14, Carecoach Notifications for Acme <\ncarecoach@acme-support.example> wrote:\n" + quotedDigest, "1: share"},
	{"an Apple Mail attribution cuts",
		"skip 1\n\nOn 7 Dec 2026, at 08:14, carecoach <carecoach@acme-support.example> wrote:\n\n" + quotedDigest, "skip 1"},
	{"a Thunderbird attribution without an address cuts",
		"skip 1\nOn 12/7/26 08:14, carecoach wrote:\n" + quotedDigest, "skip 1"},
	{"a German attribution cuts",
		"1: share\n\nAm 07.12.2026 um 08:14 schrieb carecoach <carecoach@acme-support.example>:\n" + quotedDigest, "1: share"},
	{"a German Gmail attribution cuts",
		"1: share\n\nAm Mo., 7. Dez. 2026 um 08:14 Uhr schrieb carecoach <\ncarecoach@acme-support.example>:\n" + quotedDigest, "1: share"},
	{"a French attribution with a no-break space before the colon cuts",
		"1: share\n\nLe lun. 7 déc. 2026 à 08:14, carecoach <carecoach@acme-support.example> a écrit\u00a0:\n" + quotedDigest, "1: share"},
	{"a Spanish attribution cuts",
		"2: reward: comida\n\nEl lun, 7 dic 2026 a las 8:14, carecoach (<carecoach@acme-support.example>) escribió:\n" + quotedDigest, "2: reward: comida"},
	{"a Dutch attribution cuts",
		"skip 3\n\nOp ma 7 dec. 2026 om 08:14 schreef carecoach <carecoach@acme-support.example>:\n" + quotedDigest, "skip 3"},
	{"a Portuguese attribution cuts",
		"skip 3\n\nEm seg., 7 de dez. de 2026 às 08:14, carecoach <carecoach@acme-support.example> escreveu:\n" + quotedDigest, "skip 3"},
	{"an Italian attribution cuts",
		"skip 3\n\nIl giorno lun 7 dic 2026 alle ore 08:14 carecoach <carecoach@acme-support.example> ha scritto:\n" + quotedDigest, "skip 3"},
	{"a line that starts with On but does not end in wrote: is kept",
		"On Monday Ana wrote to the customer at 9, great.\nshare 1", "On Monday Ana wrote to the customer at 9, great.\nshare 1"},
	{"a short line starting with On is not joined to the attribution below it",
		"1: share\nOn it for 3 tomorrow\nOn Mon, 7 Dec 2026 at 08:14, carecoach <carecoach@acme-support.example> wrote:\n" + quotedDigest,
		"1: share\nOn it for 3 tomorrow"},
	{"a long line starting with On is not joined to the attribution below it",
		"1: share\nOn second thought, reward 2 as well, Ben really went the extra mile on 5160\nOn Mon, 7 Dec 2026 at 08:14, carecoach <carecoach@acme-support.example> wrote:\n" + quotedDigest,
		"1: share\nOn second thought, reward 2 as well, Ben really went the extra mile on 5160"},

	// Outlook.
	{"Outlook's Original Message line cuts",
		"1: share\n\n-----Original Message-----\nFrom: carecoach <carecoach@acme-support.example>\nSent: Monday, December 7, 2026 8:14 AM\n\n" + emailtext.ReplyMarker, "1: share"},
	{"Outlook's German Original Message line cuts",
		"1: share\n\n-----Ursprüngliche Nachricht-----\nVon: carecoach\n" + digestItem, "1: share"},
	{"Outlook's underscore separator cuts",
		"skip 2\n\n________________________________\nFrom: carecoach <carecoach@acme-support.example>\nSent: Monday, December 7, 2026 8:14 AM\n" + digestItem, "skip 2"},
	{"an Outlook From/Sent block without a separator cuts",
		"skip 2\n\nFrom: carecoach <carecoach@acme-support.example>\nSent: Monday, December 7, 2026 08:14\nTo: Sam <sam@acme-support.example>\nSubject: Your team's week\n\n" + digestItem, "skip 2"},
	{"an Outlook From/Date block cuts",
		"skip 2\nFrom: carecoach <carecoach@acme-support.example>\nDate: Monday, 7 December 2026 at 08:14\nTo: Sam\n" + digestItem, "skip 2"},
	{"a From/Sent block in bold from html2text cuts",
		"skip 2\n\n*From:* carecoach <carecoach@acme-support.example>\n*Sent:* Monday, December 7, 2026 08:14\n" + digestItem, "skip 2"},
	{"a German Von/Gesendet block cuts",
		"skip 2\n\nVon: carecoach <carecoach@acme-support.example>\nGesendet: Montag, 7. Dezember 2026 08:14\nAn: Jörg\n" + digestItem, "skip 2"},
	{"a French De/Envoyé block with spaces before the colons cuts",
		"skip 2\n\nDe : carecoach <carecoach@acme-support.example>\nEnvoyé : lundi 7 décembre 2026 08:14\n" + digestItem, "skip 2"},
	{"a From: line without a Sent: line is kept",
		"From: my side all good.\nskip 3\n\nThe rest is fine.", "From: my side all good.\nskip 3\n\nThe rest is fine."},
	{"Gmail's forwarded message line cuts",
		"FYI 1\n\n---------- Forwarded message ---------\nFrom: carecoach\n", "FYI 1"},

	// Quoted blocks.
	{"a quoted block after written content is skipped and reading goes on below it",
		"1: share\n> " + digestItem + "\n> more\nskip 2\n", "1: share\n\nskip 2"},
	{"an indented quoted block after written content cuts",
		"1: share\n  > " + digestItem + "\n", "1: share"},
	{"a quoted attribution from Apple Mail cuts",
		"1: share\n\n> On 7 Dec 2026, at 08:14, carecoach <carecoach@acme-support.example> wrote:\n>\n" + quotedDigest, "1: share"},
	{"leading quoted lines are dropped and the reply written below them is kept",
		quotedDigest + "\n1: share\nskip 2\n", "1: share\nskip 2"},
	{"a reply below an attribution and its quote is kept",
		"On Mon, 7 Dec 2026 at 08:14, carecoach <carecoach@acme-support.example> wrote:\n\n" + quotedDigest + "\nskip 1\n", "skip 1"},
	{"answers between quoted items are all read, in order",
		"> 1. Ana\n1: share\n> 2. Ben\nskip 2\n", "1: share\n\nskip 2"},
	{"a text that is only quoted has no reply", quotedDigest, ""},
	{"a > inside a line is not a quote", "1: share -> everyone\nskip 2 > 3", "1: share -> everyone\nskip 2 > 3"},

	// Signatures.
	{"a -- signature separator with a space cuts", "1: share\n-- \nJordan Reyes\nTeam Lead\n", "1: share"},
	{"a -- signature separator without a space cuts", "1: share\n--\nJordan\n", "1: share"},
	{"a line of three dashes is not a signature separator", "1: share\n---\nskip 2", "1: share\n---\nskip 2"},
	{"a line starting with -- and more text is kept", "1: share\n-- and 2 too\n", "1: share\n-- and 2 too"},
	{"Sent from my iPhone cuts", "1: share\n\nSent from my iPhone\n\n" + quotedDigest, "1: share"},
	{"Sent from Outlook for iOS cuts", "1: share\n\nSent from Outlook for iOS<https://aka.ms/o0ukef>\n", "1: share"},
	{"Get Outlook for Android cuts", "1: share\n\nGet Outlook for Android ( https://aka.ms/AAb9ysg )\n", "1: share"},
	{"Sent from my Galaxy cuts", "1: share\nSent from my Galaxy\n", "1: share"},
	{"Sent from my Samsung Galaxy smartphone cuts", "1: share\n\nSent from my Samsung Galaxy smartphone.\n", "1: share"},
	{"a German mobile signature cuts", "1: share\n\nVon meinem iPhone gesendet\n", "1: share"},
	{"a French mobile signature cuts", "1: share\n\nEnvoyé de mon iPhone\n", "1: share"},
	{"a sentence that starts with Sent from but names no device is kept",
		"Sent from the dashboard: 1 looks great\nskip 2", "Sent from the dashboard: 1 looks great\nskip 2"},
	{"a closing with a name and a title after a blank line is dropped",
		"1: share\n2: reward: lunch on me\n\nKind regards,\nJordan Reyes\nTeam Lead\n", "1: share\n2: reward: lunch on me"},
	{"a German closing is dropped", "skip 3\n\nViele Grüße\nJörg\n", "skip 3"},
	{"a closing alone at the end after a blank line is dropped", "1: share\n\nThanks!\n", "1: share"},
	{"a thanks between written lines is kept", "1: share\nThanks!\nskip 3\n", "1: share\nThanks!\nskip 3"},
	{"a closing followed by a long paragraph is kept",
		"1: share\n\nThanks,\nand one more thing: Ben handled the VAT question better than anyone on the team has all year\n",
		"1: share\n\nThanks,\nand one more thing: Ben handled the VAT question better than anyone on the team has all year"},
	{"a closing followed by more than four lines is kept",
		"x\n\nThanks\nskip 1\nskip 2\nskip 3\nskip 4\nskip 5\n", "x\n\nThanks\nskip 1\nskip 2\nskip 3\nskip 4\nskip 5"},
	{"a reply that is only a closing is kept", "Thanks!\n\n" + quotedDigest, "Thanks!"},
	{"a reply that is only a mobile signature is empty", "Sent from my iPhone\n\n" + quotedDigest, ""},

	// Trimming.
	{"trailing blank lines and white space are trimmed", "\n\n  1: share  \t\nskip 2 \n\n \n", "1: share\nskip 2"},
	{"CRLF and CR line ends are handled", "1: share\r\nskip 2\r\n\r\n-- \r\nJo\rskip 3", "1: share\nskip 2"},
	{"a no-break space line is blank", "1: share\n\u00a0\n", "1: share"},
	{"written content above a quote is never lost",
		"ok\n> " + emailtext.ReplyMarker + "\n", "ok"},
}

func TestStripReply(t *testing.T) {
	for _, tc := range stripCases {
		t.Run(tc.name, func(t *testing.T) {
			if got := emailtext.StripReply(tc.in); got != tc.want {
				t.Errorf("StripReply(%q)\n = %q\nwant %q", tc.in, got, tc.want)
			}
		})
	}
}

// A digest as a bottom-posting or inline-answering client quotes it.
const inlineDigest = "On Mon, 30 Nov 2026 at 08:00, carecoach <reply+d-1.x.y@reply.acme-support.example> wrote:\n" +
	"> " + emailtext.ReplyMarker + "\n>\n> Hi Jordan Reyes,\n>\n> TO PRAISE\n>\n" +
	"> 1. Ana Silva (responsiveness)\n>    Answered Maria Lopez 20 minutes after she wrote.\n"

const item2 = "> 2. Ana Silva (commitments)\n>    Promised Maria Lopez a fix by Thursday.\n"

const quotedHelp = "> --\n> How to reply:\n>   <n> <your words>   praise or coach item n\n> Example: 1 share Brilliant work & thanks! reward: lunch on me\n"

var writtenCases = []struct {
	name  string
	in    string
	hints emailtext.Hints
	want  []emailtext.Block
}{
	{"a top-posted reply is one block with nothing quoted above it",
		"1: share\nskip 2\n\n" + inlineDigest, emailtext.Hints{},
		[]emailtext.Block{{Text: "1: share\nskip 2"}}},
	{"answers written between quoted items are blocks, each with the quote above it",
		inlineDigest + "\nExactly the care we promise. share\n\n" + item2 + "2: reward: lunch on me\n" + quotedHelp, emailtext.Hints{},
		[]emailtext.Block{
			{Text: "Exactly the care we promise. share", Quoted: "On Mon, 30 Nov 2026 at 08:00, carecoach <reply+d-1.x.y@reply.acme-support.example> wrote:\n" +
				emailtext.ReplyMarker + "\n\nHi Jordan Reyes,\n\nTO PRAISE\n\n1. Ana Silva (responsiveness)\n   Answered Maria Lopez 20 minutes after she wrote."},
			{Text: "2: reward: lunch on me", Quoted: "2. Ana Silva (commitments)\n   Promised Maria Lopez a fix by Thursday."},
		}},
	{"a reply written below the whole quoted digest is read, and the quoted example line is not",
		inlineDigest + item2 + quotedHelp + "\n1: Brilliant!\n", emailtext.Hints{},
		[]emailtext.Block{{Text: "1: Brilliant!", Quoted: "On Mon, 30 Nov 2026 at 08:00, carecoach <reply+d-1.x.y@reply.acme-support.example> wrote:\n" +
			emailtext.ReplyMarker + "\n\nHi Jordan Reyes,\n\nTO PRAISE\n\n1. Ana Silva (responsiveness)\n   Answered Maria Lopez 20 minutes after she wrote.\n" +
			"2. Ana Silva (commitments)\n   Promised Maria Lopez a fix by Thursday.\n--\nHow to reply:\n  <n> <your words>   praise or coach item n\nExample: 1 share Brilliant work & thanks! reward: lunch on me"}}},
	{"a signature ends its block and reading goes on at the next quote",
		"> 1. Ana\n1: thanks\n-- \nJordan\nTeam Lead\n> 2. Ana\nskip 2\n", emailtext.Hints{},
		[]emailtext.Block{{Text: "1: thanks", Quoted: "1. Ana"}, {Text: "skip 2", Quoted: "2. Ana"}}},
	{"unquoted history below answers ends the reply",
		"> 1. Ana\n1: thanks\n\nFrom: carecoach\nSent: Monday, 30 November 2026 08:00\n> 2. Ana\nskip 2\n", emailtext.Hints{},
		[]emailtext.Block{{Text: "1: thanks", Quoted: "1. Ana"}}},
	{"the sender's name under the last command is a sign-off, not words",
		"2: reward: lunch on me\nJordan Reyes\nTeam Lead, Customer Support\n+44 20 7946 0958\n", emailtext.Hints{Sender: "Jordan Reyes"},
		[]emailtext.Block{{Text: "2: reward: lunch on me"}}},
	{"a name from the address stands in for a missing display name",
		"1: Well done\nJordan\n", emailtext.Hints{Address: "jordan.reyes@acme-support.example"},
		[]emailtext.Block{{Text: "1: Well done"}}},
	{"a name written Last, First is the sender's too",
		"skip 1\n\nJ. Reyes\n", emailtext.Hints{Sender: "Reyes, Jordan"},
		[]emailtext.Block{{Text: "skip 1"}}},
	{"a contact block without the name after a blank line is a sign-off",
		"1: Great work\n\nTeam Lead | Customer Support\nAcme Support Ltd.\nT: +44 20 7946 0958\nwww.acme-support.example\n", emailtext.Hints{Sender: "Jordan Reyes"},
		[]emailtext.Block{{Text: "1: Great work"}}},
	{"a web address alone after a blank line is what the sender wanted to say",
		"1: see the macro Ana wrote\n\nhttps://acme.zendesk.com/agent/tickets/5158\n", emailtext.Hints{Sender: "Jordan Reyes"},
		[]emailtext.Block{{Text: "1: see the macro Ana wrote\n\nhttps://acme.zendesk.com/agent/tickets/5158"}}},
	{"a closing with the sender's name on the same line is a sign-off",
		"1: great save\nThanks, Jordan\n", emailtext.Hints{Sender: "Jordan Reyes"},
		[]emailtext.Block{{Text: "1: great save"}}},
	{"a closing right under the words without a name is part of them",
		"1: great save\nThank you!\n", emailtext.Hints{Sender: "Jordan Reyes"},
		[]emailtext.Block{{Text: "1: great save\nThank you!"}}},
	{"a closing and the name on the next line are a sign-off",
		"skip 3\nBest,\nJ\n", emailtext.Hints{Sender: "Jordan Reyes"},
		[]emailtext.Block{{Text: "skip 3"}}},
	{"words after a blank line and before the sender's name stay words",
		"1: Great work on this.\n\nKeep it up\nJordan\n", emailtext.Hints{Sender: "Jordan Reyes"},
		[]emailtext.Block{{Text: "1: Great work on this.\n\nKeep it up"}}},
	{"a phone number in a sentence is words",
		"1: Great work\n\nCall Maria on +44 20 7946 0958 tomorrow\n", emailtext.Hints{Sender: "Jordan Reyes"},
		[]emailtext.Block{{Text: "1: Great work\n\nCall Maria on +44 20 7946 0958 tomorrow"}}},
	{"a long sign-off is still a sign-off",
		"skip 3\n\nKind regards,\n\nJordan Reyes (he/him)\nTeam Lead | Customer Support\nAcme Support Ltd.\n1 Market Street, London EC1A 1AA\nT +44 20 7946 0958 | M +44 7700 900123\nwww.acme-support.example\n", emailtext.Hints{Sender: "Jordan Reyes"},
		[]emailtext.Block{{Text: "skip 3"}}},
	{"another person's name under the words is part of them",
		"1: Great work\nAna\n", emailtext.Hints{Sender: "Jordan Reyes"},
		[]emailtext.Block{{Text: "1: Great work\nAna"}}},
	{"a command after the name keeps everything",
		"1: Great work\nJordan\nskip 2\n", emailtext.Hints{Sender: "Jordan Reyes"},
		[]emailtext.Block{{Text: "1: Great work\nJordan\nskip 2"}}},
	{"the first line of an HTML signature ends the block",
		"1: nice one\n\nCustomer care is our promise\nacme-support.example\n\nFrom: carecoach\nSent: Monday\n", emailtext.Hints{Signatures: []string{"\n  Customer care is our promise  \nacme-support.example"}},
		[]emailtext.Block{{Text: "1: nice one"}}},
	{"an HTML signature matches its line whatever the punctuation",
		"2: reward: lunch\nJ.R. | Support lead\n", emailtext.Hints{Signatures: []string{"JR · support LEAD"}},
		[]emailtext.Block{{Text: "2: reward: lunch"}}},
	{"image placeholders are dropped",
		"1: great\n[image: logo.png]\n[cid:image001.png@01DB4A2C.5F0E1A30]\n<IMG_0042.jpeg>\nreally great\n", emailtext.Hints{},
		[]emailtext.Block{{Text: "1: great\nreally great"}}},
	{"a disclaimer after the quote is not read",
		"1: share\n\n" + inlineDigest + "\nThis email and any attachments are confidential and intended solely for the addressee.\nIf you are not the intended recipient, delete it.\n", emailtext.Hints{},
		[]emailtext.Block{{Text: "1: share"}}},
	{"a short rule of underscores is a signature separator", "3: Let's talk on Thursday.\n\n__\nJ. Reyes | Team Lead\n", emailtext.Hints{}, []emailtext.Block{{Text: "3: Let's talk on Thursday."}}},
	{"an em dash alone is a signature separator", "1: share\n—\nJordan\n", emailtext.Hints{}, []emailtext.Block{{Text: "1: share"}}},
	{"a block that is only a signature is no block",
		"Jordan Reyes\nTeam Lead\n\n> 1. Ana\n1: thanks\n", emailtext.Hints{Sender: "Jordan Reyes"},
		[]emailtext.Block{{Text: "1: thanks", Quoted: "1. Ana"}}},
}

func TestWritten(t *testing.T) {
	for _, tc := range writtenCases {
		t.Run(tc.name, func(t *testing.T) {
			got := emailtext.Written(tc.in, tc.hints)
			if !slices.Equal(got, tc.want) {
				t.Errorf("Written(%q)\n = %q\nwant %q", tc.in, got, tc.want)
			}
		})
	}
}
