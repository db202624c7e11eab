package app

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/carecoach/carecoach/shared/core/care"
	"github.com/carecoach/carecoach/shared/core/digest"
	"github.com/carecoach/carecoach/shared/core/grammar"
	"github.com/carecoach/carecoach/shared/core/playbook"
	"github.com/carecoach/carecoach/shared/ui/mail"
)

// JobClimate is the weekly climate question.
const JobClimate = "climate"

// climateHelp is the footer of the climate question.
const climateHelp = "Just reply with your answer, as long or as short as you like."

// Climate asks every agent of a team the climate question of the week.
type Climate struct {
	Store     PromptStore
	Directory Directory
	Mailer    Mailer
	Replies   Replies
	Now       func() time.Time
	Log       interface {
		InfoContext(ctx context.Context, msg string, args ...any)
	}
}

// Send emails this week's question to each agent (every member who is not
// a manager), once per agent and week.
func (s *Climate) Send(ctx context.Context, teamID string) error {
	team, err := s.Directory.Team(ctx, teamID)
	if err != nil {
		return fmt.Errorf("team %s: %w", teamID, err)
	}
	c := playbook.ClimateOf(team)
	if !c.On {
		return nil
	}
	now := s.Now()
	question := c.Question(now)
	year, week := now.ISOWeek()
	managers := digest.Managers(team)
	for _, m := range team.Members {
		addr := strings.ToLower(m.Email)
		if containsFold(managers, addr) {
			continue
		}
		sum := sha256.Sum256([]byte(fmt.Sprintf("%s\x00%s\x00%d-%d", team.ID, addr, year, week)))
		p := care.Prompt{
			ID: "q-" + hex.EncodeToString(sum[:8]), Team: team.ID, Kind: care.ClimatePrompt, Recipient: addr,
			ExpiresAt: now.Add(s.Replies.Valid), Question: question,
		}
		sent, err := sendPrompt(ctx, s.Store, s.Mailer, s.Replies, p, s.Now, func() (care.Email, error) {
			return mail.ClimateQuestionEmail(mail.ClimateQuestion{Agent: m, TeamID: team.ID, TeamName: team.Name, Question: question, Anonymous: c.Anonymous, Help: climateHelp})
		})
		if err != nil {
			return err
		}
		if sent {
			s.Log.InfoContext(ctx, "climate question sent", "team", team.ID, "to", addr)
		}
	}
	return nil
}

func containsFold(list []string, s string) bool {
	for _, x := range list {
		if strings.EqualFold(x, s) {
			return true
		}
	}
	return false
}

// answer records an agent's answer to the weekly climate question.
func (s *Inbound) answer(ctx context.Context, p care.Prompt, msg care.InboundMail) (Outcome, error) {
	team, err := s.Directory.Team(ctx, p.Team)
	if err != nil {
		return Outcome{}, fmt.Errorf("team %s: %w", p.Team, err)
	}
	conf := mail.Confirmation{Manager: memberOf(team, p.Recipient), Subject: msg.Subject}
	text := strings.TrimSpace(msg.Reply)
	recorded := 0
	switch n := utf8.RuneCountInString(text); {
	case n == 0:
		conf.Problems = append(conf.Problems, mail.ProblemLine{Line: 1, Why: "the reply was empty: write your answer above the marker line"})
	case n > grammar.MaxWords:
		conf.Problems = append(conf.Problems, mail.ProblemLine{Line: 1, Why: fmt.Sprintf(
			"your answer is %d characters long, more than the %d carecoach keeps, so nothing was recorded: reply again with a shorter answer", n, grammar.MaxWords)})
	default:
		a := care.ClimateAnswer{Team: p.Team, PromptID: p.ID, Who: p.Recipient, Question: p.Question, Answer: text, At: s.Now()}
		if _, err := s.Store.SaveClimateAnswer(ctx, a); err != nil {
			return Outcome{}, err
		}
		recorded = 1
		conf.Recorded = append(conf.Recorded, "Your answer to “"+p.Question+"”")
	}
	return Outcome{Recorded: recorded, Problems: len(conf.Problems)}, s.confirm(ctx, p, conf)
}
