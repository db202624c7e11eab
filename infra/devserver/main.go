// Command devserver is `make run`: it starts DynamoDB Local and the local SES,
// creates the table from template.yaml, loads the demo team and serves the
// webhooks and the team's dashboard on localhost with a local scheduler.
// Ctrl-C stops everything.
package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"

	"github.com/carecoach/carecoach/shared/adapters/teamconfig"
	"github.com/carecoach/carecoach/shared/app"
	"github.com/carecoach/carecoach/shared/core/care"
	"github.com/carecoach/carecoach/shared/core/digest"
	"github.com/carecoach/carecoach/shared/dev/devserver"
	"github.com/carecoach/carecoach/shared/dev/emulators"
	"github.com/carecoach/carecoach/shared/dev/localsched"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "devserver:", err)
		os.Exit(1)
	}
}

func run() error {
	addr := flag.String("addr", envOr("CARECOACH_ADDR", "127.0.0.1:8080"), "where to serve the webhooks")
	dynamoPort := flag.Int("dynamo-port", 0, "DynamoDB Local port (0: pick a free one)")
	sesPort := flag.Int("ses-port", 8005, "local SES port; its mail viewer is served there too")
	teamFile := flag.String("team", "infra/dev/team.yaml", "team configuration to load")
	secretFile := flag.String("secret-file", ".local/webhook-secret", "file holding the local webhook secret (created if missing)")
	keyFile := flag.String("token-key-file", ".local/reply-token-key", "file holding the local reply-token key (created if missing)")
	smtpAddr := flag.String("smtp", "127.0.0.1:2525", "where the local inbox takes replies by SMTP")
	replyDomain := flag.String("reply-domain", "reply.carecoach.local", "domain of the reply+<token>@ addresses")
	verbose := flag.Bool("v", false, "show the emulators' output")
	clockAt := flag.String("clock", os.Getenv("CARECOACH_CLOCK"), "start the dev clock at this instant (RFC 3339, e.g. 2026-11-30T08:00:00Z) instead of now")
	flag.Parse()

	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelInfo}))
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	team, err := teamconfig.Load(*teamFile)
	if err != nil {
		return err
	}
	secret, err := localSecret(*secretFile)
	if err != nil {
		return err
	}
	tokenKey, err := localSecret(*keyFile)
	if err != nil {
		return err
	}
	clock := localsched.RealClock()
	if *clockAt != "" {
		start, err := time.Parse(time.RFC3339, *clockAt)
		if err != nil {
			return fmt.Errorf("-clock / CARECOACH_CLOCK %q is not a time like 2026-11-30T08:00:00Z", *clockAt)
		}
		clock = localsched.ClockFrom(start)
	}
	opts := emulators.Options{DynamoPort: *dynamoPort, SESPort: *sesPort}
	if *verbose {
		opts.Log = os.Stderr
	}
	fmt.Fprintln(os.Stderr, "starting DynamoDB Local and the local SES ...")
	stack, err := emulators.Start(ctx, opts)
	if err != nil {
		return err
	}
	defer stack.Close()

	srv, err := devserver.Start(ctx, devserver.Config{
		Addr: *addr, DynamoEndpoint: stack.DynamoEndpoint, SESEndpoint: stack.SESEndpoint,
		AWS:   aws.Config{Region: "us-east-1", Credentials: credentials.NewStaticCredentialsProvider("local", "local", "")},
		Table: "carecoach-local", Teams: []care.Team{team}, Secret: secret,
		MailFrom: "carecoach <carecoach@acme-support.example>", Clock: clock,
		Tick: time.Second, Log: log, SMTPAddr: *smtpAddr, ReplyDomain: *replyDomain, TokenKey: tokenKey,
	})
	if err != nil {
		return err
	}
	defer srv.Close()

	// A freshly signed dashboard link for the team's first manager.
	managers := digest.Managers(team)
	if len(managers) == 0 {
		return fmt.Errorf("team %s has no manager to open its dashboard", team.ID)
	}
	dashboardURL, err := srv.DashboardURL(team.ID, managers[0])
	if err != nil {
		return err
	}
	var conns []string
	for _, c := range team.Connections {
		conns = append(conns, fmt.Sprintf("  POST %s/webhooks/%s/%s", srv.URL, c.Kind, c.ID))
	}
	dead, err := srv.DeadLetters(ctx)
	if err != nil {
		return err
	}
	deadNow := "none"
	if len(dead) > 0 {
		deadNow = fmt.Sprint(len(dead))
	}
	fmt.Printf(`
carecoach is running.

Webhooks (team %q):
%s
Webhook secret:  in %s (Zendesk signing secret / Freshdesk %s header)
Mail viewer:     %s   (every email carecoach sends lands here)
Replies:         SMTP %s (reply+<token>@%s: answer a digest by mailing its Reply-To here)
DynamoDB Local:  %s   (table carecoach-local)
Dev clock:       %s now; GET %s/dev/clock, POST %s/dev/clock/advance?by=24h1m (jump) or ?to=<time> (play through)
Pending tasks:   GET %s/dev/tasks   (kind, ticket, agent and due time of each)
Dead letters:    GET %s/dev/dead-letters   (%s now; go run ./infra/admin dead-letters, then replay <connection> <dedupeKey> after a fix)
Dashboard:       %s
                 (signed for %s, valid %d days; JSON at %s/api/teams/%s/scorecards?t=...)

Try it:  make demo   (sends a customer message, moves the clock 24h, a reminder appears in the mail viewer)
Replay:  CARECOACH_CLOCK=2026-11-30T08:00:00Z make run, then go run ./infra/send -at-event-time events/recorded-day.jsonl (README "Try it")
Ctrl-C stops everything.
`, team.ID, strings.Join(conns, "\n"), *secretFile, "X-Carecoach-Secret", stack.SESEndpoint, srv.SMTPAddr, *replyDomain, stack.DynamoEndpoint,
		srv.Clock.Now().UTC().Format(time.RFC3339), srv.URL, srv.URL, srv.URL, srv.URL, deadNow,
		dashboardURL, managers[0], int(app.DashboardValidity.Hours()/24), srv.URL, team.ID)

	<-ctx.Done()
	fmt.Fprintln(os.Stderr, "\nstopping ...")
	return nil
}

// localSecret reads the dev webhook secret, creating a random one on first
// use so that no secret, not even a local one, lives in the repository.
func localSecret(path string) (care.Secret, error) {
	b, err := os.ReadFile(path)
	if err == nil && len(strings.TrimSpace(string(b))) > 0 {
		return care.Secret(strings.TrimSpace(string(b))), nil
	}
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	raw := make([]byte, 24)
	if _, err := rand.Read(raw); err != nil {
		return nil, fmt.Errorf("make a secret: %w", err)
	}
	s := hex.EncodeToString(raw)
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("create %s: %w", filepath.Dir(path), err)
	}
	if err := os.WriteFile(path, []byte(s+"\n"), 0o600); err != nil {
		return nil, fmt.Errorf("write %s: %w", path, err)
	}
	return care.Secret(s), nil
}

func envOr(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}
