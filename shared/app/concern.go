package app

import (
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"

	"github.com/carecoach/carecoach/shared/core/care"
	"github.com/carecoach/carecoach/shared/core/grammar"
	"github.com/carecoach/carecoach/shared/core/playbook"
	"github.com/carecoach/carecoach/shared/ui/mail"
)

// answerConcern handles the manager's words on a climate answer in the
// digest (an item with a Concern): they go to whoever wrote it — on an
// anonymous team without the manager learning who — and make a check-back,
// so that some business days later the manager is asked whether the
// problem it raised is solved. Sharing and rewards are for moments: such a
// line is explained and does nothing. It returns how many it recorded.
func (s *Inbound) answerConcern(ctx context.Context, team care.Team, manager care.Member, p care.Prompt, c grammar.Command, item care.PromptItem, messageID string, conf *mail.Confirmation) (int, error) {
	k := item.Concern
	who := cmp.Or(item.AgentName, anonymousWriter)
	switch {
	case c.Skip:
		conf.Skipped = append(conf.Skipped, fmt.Sprintf("%d. a climate answer: “%s”", c.Item, clipLine(k.Answer, 80)))
		return 0, nil
	case c.Share || c.Reward != "":
		conf.Problems = append(conf.Problems, mail.ProblemLine{Why: fmt.Sprintf(
			"item %d is a climate answer: sharing and rewards are for moments, so nothing was done with it; write your answer after its number, e.g. \"%d: Thank you for raising this\"", c.Item, c.Item)})
		return 0, nil
	case c.Words == "":
		return 0, nil
	}
	e, err := mail.ConcernReplyEmail(mail.ConcernReply{Agent: memberOf(team, item.AgentEmail), Manager: manager, Question: k.Question, Answer: k.Answer,
		Words: c.Words, Anonymous: k.Anonymous})
	if err != nil {
		return 0, err
	}
	if _, err := s.Mailer.Send(ctx, e); err != nil {
		return 0, fmt.Errorf("send answer to a climate answer: %w", err)
	}
	line := fmt.Sprintf("%d. Your answer to “%s”: sent to %s", c.Item, clipLine(k.Answer, 80), who)
	if cfg := playbook.CheckBackOf(team); cfg.On {
		now := s.Now()
		sum := sha256.Sum256([]byte(p.ID + "\x00" + fmt.Sprint(c.Item) + "\x00" + messageID))
		cb := care.CheckBack{
			ID: "cbc-" + hex.EncodeToString(sum[:12]), Team: team.ID, Manager: strings.ToLower(p.Recipient), AgentEmail: item.AgentEmail, AgentName: item.AgentName,
			Source: care.ClimatePrompt, Concern: k, Said: c.Words, SaidAt: now, DueAt: cfg.Due(now, 0), Status: care.CheckBackPending,
		}
		if _, err := s.Store.PutCheckBack(ctx, cb); err != nil {
			return 0, err
		}
		line += "; carecoach asks you on " + cb.DueAt.In(cfg.Location).Format("Mon 2 Jan") + " whether it is solved"
	}
	conf.Recorded = append(conf.Recorded, line)
	s.Log.InfoContext(ctx, "climate answer answered", "team", team.ID, "from", p.Recipient, "prompt", p.ID, "item", c.Item)
	return 1, nil
}

// clipLine is s on one line, cut to max characters (the last an ellipsis).
func clipLine(s string, max int) string {
	r := []rune(strings.Join(strings.Fields(s), " "))
	if len(r) > max {
		return string(r[:max-1]) + "…"
	}
	return string(r)
}

// anonymousWriter is how the manager's confirmations name the writer of
// an anonymous climate answer.
const anonymousWriter = "whoever wrote it (carecoach does not tell you who)"
