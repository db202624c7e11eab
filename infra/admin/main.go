// Command admin manages carecoach's configuration and its dead letters.
//
// Locally, with `make run` going, it talks to the dev server and needs no
// flags:
//
//	go run ./infra/admin dead-letters                      # every delivery that could not be processed, with why
//	go run ./infra/admin replay <connection> <dedupe-key>  # process one again, after a fix
//
// On AWS it works on the deployed table with your AWS credentials (the
// usual AWS_PROFILE / AWS_REGION):
//
//	go run ./infra/admin put-team -table <TableName> -schedule-group <ScheduleGroupName> \
//	    -fire-arn <FireFunctionArn> -scheduler-role <SchedulerRoleArn> \
//	    -scheduler-dlq <SchedulerDeadLetterQueueArn> team.yaml
//	go run ./infra/admin dead-letters -table <TableName> <connection-id>
//	go run ./infra/admin replay -table <TableName> <connection-id> <dedupe-key>
//	go run ./infra/admin connect zendesk|freshdesk -team-file team.yaml -table <TableName> -stage <Stage> …
//	go run ./infra/admin disconnect zendesk|freshdesk -team-file team.yaml -table <TableName> -stage <Stage> …
//
// connect and disconnect (connect.go; infra/admin/README.md) set up or
// remove a help desk connection: the webhook, its secret in SSM and the
// connection in the team file and the table.
//
// put-team validates the file (errors name the field and the reason), writes
// the team, its connections and its member lookups to the table and, given
// the scheduler flags (stack outputs), creates or replaces the team's weekly
// digest and climate schedules in its time zone, with the same retry policy
// and dead-letter queue as every task's schedule. replay on AWS stores the
// delivery again as a new raw delivery, so the stream hands it to the
// process function once more, and removes the dead letter unless that run
// failed again.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/scheduler"

	"github.com/carecoach/carecoach/shared/adapters/dynamo"
	"github.com/carecoach/carecoach/shared/adapters/eventbridge"
	"github.com/carecoach/carecoach/shared/adapters/eventbridge/payload"
	"github.com/carecoach/carecoach/shared/adapters/teamconfig"
	"github.com/carecoach/carecoach/shared/app"
	"github.com/carecoach/carecoach/shared/core/care"
	"github.com/carecoach/carecoach/shared/core/playbook"
)

func main() {
	if err := run(context.Background(), os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "admin:", err)
		os.Exit(1)
	}
}

const usage = `usage:
  admin dead-letters [connection]                  (local: the dev server of make run)
  admin replay <connection> <dedupe-key>           (local)
  admin dead-letters -table NAME <connection>      (AWS)
  admin replay -table NAME <connection> <dedupe-key>
  admin put-team -table NAME [-schedule-group G -fire-arn A -scheduler-role R -scheduler-dlq Q] team.yaml
  admin connect zendesk|freshdesk …                (AWS; see infra/admin/README.md)
  admin disconnect zendesk|freshdesk …`

func run(ctx context.Context, args []string, out io.Writer) error {
	if len(args) == 0 {
		return fmt.Errorf("%s", usage)
	}
	switch args[0] {
	case "connect":
		return runConnect(ctx, args[1:], out)
	case "disconnect":
		return runDisconnect(ctx, args[1:], out)
	}
	fs := flag.NewFlagSet(args[0], flag.ContinueOnError)
	table := fs.String("table", os.Getenv("CARECOACH_TABLE"), "the deployed table (stack output TableName); without it, the local dev server")
	endpoint := fs.String("endpoint", "", "DynamoDB endpoint override (e.g. a DynamoDB Local URL)")
	devURL := fs.String("url", devServerURL(), "the local dev server, when no -table is given")
	group := fs.String("schedule-group", "", "put-team: the stack's ScheduleGroupName output")
	fireARN := fs.String("fire-arn", "", "put-team: the stack's FireFunctionArn output")
	role := fs.String("scheduler-role", "", "put-team: the stack's SchedulerRoleArn output")
	dlq := fs.String("scheduler-dlq", "", "put-team: the stack's SchedulerDeadLetterQueueArn output")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	cmd := args[0]
	if *table == "" {
		local := devServer{url: strings.TrimSuffix(*devURL, "/")}
		switch {
		case cmd == "dead-letters" && fs.NArg() <= 1:
			return local.deadLetters(ctx, out, fs.Arg(0))
		case cmd == "replay" && fs.NArg() == 2:
			return local.replay(ctx, out, fs.Arg(0), fs.Arg(1))
		case cmd == "put-team":
			return fmt.Errorf("put-team needs -table: the dev server loads its team from infra/dev/team.yaml (-team)")
		}
		return fmt.Errorf("%s", usage)
	}
	// All the scheduler flags or none, checked before anything is written:
	// a schedule without its dead-letter queue would drop what Scheduler
	// cannot deliver.
	sched := schedulerFlags{group: *group, fireARN: *fireARN, role: *role, dlq: *dlq}
	if missing := sched.missing(); cmd == "put-team" && len(missing) > 0 && len(missing) < 4 {
		return fmt.Errorf("put-team: give all the scheduler flags (stack outputs) or none; missing %s", strings.Join(missing, ", "))
	}
	cfg, err := config.LoadDefaultConfig(ctx)
	if err != nil {
		return fmt.Errorf("aws config: %w", err)
	}
	store := dynamo.New(dynamo.NewClient(cfg, *endpoint), *table, time.Now)
	switch {
	case cmd == "put-team" && fs.NArg() == 1:
		return putTeam(ctx, out, store, cfg, fs.Arg(0), sched)
	case cmd == "dead-letters" && fs.NArg() == 1:
		dls, err := store.DeadLetters(ctx, fs.Arg(0))
		if err != nil {
			return err
		}
		return printDeadLetters(out, dls)
	case cmd == "replay" && fs.NArg() == 2:
		return requeue(ctx, out, store, fs.Arg(0), fs.Arg(1))
	}
	return fmt.Errorf("%s", usage)
}

// devServerURL is where `make run` serves, as it chose its address.
func devServerURL() string {
	if addr := os.Getenv("CARECOACH_ADDR"); addr != "" {
		return "http://" + addr
	}
	return "http://127.0.0.1:8080"
}

// schedulerFlags are the stack outputs put-team needs to make schedules.
type schedulerFlags struct{ group, fireARN, role, dlq string }

func (f schedulerFlags) missing() []string {
	var missing []string
	for _, flag := range []struct{ name, value string }{{"-schedule-group", f.group}, {"-fire-arn", f.fireARN}, {"-scheduler-role", f.role}, {"-scheduler-dlq", f.dlq}} {
		if flag.value == "" {
			missing = append(missing, flag.name)
		}
	}
	return missing
}

func putTeam(ctx context.Context, out io.Writer, store *dynamo.Store, cfg aws.Config, file string, flags schedulerFlags) error {
	team, err := teamconfig.Load(file)
	if err != nil {
		return err
	}
	if err := store.PutTeam(ctx, team); err != nil {
		return err
	}
	fmt.Fprintf(out, "team %s stored: %d connections, %d members\n", team.ID, len(team.Connections), len(team.Members))
	if len(flags.missing()) > 0 {
		fmt.Fprintln(out, "no digest, climate, check-back or meeting brief schedule made: give -schedule-group, -fire-arn, -scheduler-role and -scheduler-dlq to make them")
		return nil
	}
	pb := playbook.ForTeam(team)
	sched := &eventbridge.Scheduler{API: scheduler.NewFromConfig(cfg), Group: flags.group, TargetARN: flags.fireARN, RoleARN: flags.role, DeadLetterARN: flags.dlq, Now: time.Now}
	job := payload.Fire{Job: app.JobDigest, Team: team.ID}
	if err := sched.PutRecurring(ctx, "digest-"+team.ID, pb.DigestCron(), pb.Location.String(), job); err != nil {
		return err
	}
	fmt.Fprintf(out, "digest schedule digest-%s: %s in %s\n", team.ID, pb.DigestCron(), pb.Location)
	if climate := playbook.ClimateOf(team); climate.On {
		question := payload.Fire{Job: app.JobClimate, Team: team.ID}
		if err := sched.PutRecurring(ctx, "climate-"+team.ID, pb.ClimateCron(climate), pb.Location.String(), question); err != nil {
			return err
		}
		fmt.Fprintf(out, "climate schedule climate-%s: %s in %s\n", team.ID, pb.ClimateCron(climate), pb.Location)
	}
	// Every business day, whether or not the team still checks back: the
	// check-backs already made are sent.
	checkBack := playbook.CheckBackOf(team)
	if err := sched.PutRecurring(ctx, "checkback-"+team.ID, checkBack.Cron(), pb.Location.String(), payload.Fire{Job: app.JobCheckBack, Team: team.ID}); err != nil {
		return err
	}
	fmt.Fprintf(out, "check-back schedule checkback-%s: %s in %s\n", team.ID, checkBack.Cron(), pb.Location)
	if upward := playbook.UpwardOf(team); upward.On {
		job := payload.Fire{Job: app.JobUpward, Team: team.ID}
		if err := sched.PutRecurring(ctx, "upward-"+team.ID, upward.Cron(), pb.Location.String(), job); err != nil {
			return err
		}
		fmt.Fprintf(out, "upward feedback schedule upward-%s: %s in %s (the first week of the month asks, the second shows the results)\n", team.ID, upward.Cron(), pb.Location)
	}
	// Only a team with a weekly meeting is briefed; a schedule left from
	// an earlier file finds no meeting and sends nothing.
	if meeting := playbook.MeetingOf(team); meeting.On {
		if err := sched.PutRecurring(ctx, "meeting-"+team.ID, meeting.Cron(), pb.Location.String(), payload.Fire{Job: app.JobBrief, Team: team.ID}); err != nil {
			return err
		}
		fmt.Fprintf(out, "meeting brief schedule meeting-%s: %s in %s\n", team.ID, meeting.Cron(), pb.Location)
	}
	return nil
}

// deadLetterLine is how a dead letter is printed, locally and on AWS.
type deadLetterLine struct {
	Connection     string    `json:"connection"`
	DedupeKey      string    `json:"dedupeKey"`
	ReceivedAt     time.Time `json:"receivedAt"`
	DeadLetteredAt time.Time `json:"deadLetteredAt"`
	Reason         string    `json:"reason"`
	Body           string    `json:"body"`
}

func printDeadLetters(out io.Writer, dls []care.DeadLetter) error {
	lines := make([]deadLetterLine, 0, len(dls))
	for _, d := range dls {
		lines = append(lines, deadLetterLine{Connection: d.Delivery.Connection, DedupeKey: d.Delivery.DedupeKey, ReceivedAt: d.Delivery.ReceivedAt.UTC(),
			DeadLetteredAt: d.At.UTC(), Reason: d.Reason, Body: string(d.Delivery.Body)})
	}
	return printLines(out, lines)
}

func printLines(out io.Writer, lines []deadLetterLine) error {
	if len(lines) == 0 {
		_, err := fmt.Fprintln(out, "no dead letters")
		return err
	}
	enc := json.NewEncoder(out)
	enc.SetIndent("", "  ")
	for _, l := range lines {
		if err := enc.Encode(l); err != nil {
			return fmt.Errorf("print dead letter: %w", err)
		}
	}
	_, err := fmt.Fprintf(out, "%d dead letters; replay one after a fix with: go run ./infra/admin replay <connection> <dedupeKey>\n", len(lines))
	return err
}

// requeue replays a dead letter on AWS.
func requeue(ctx context.Context, out io.Writer, store *dynamo.Store, connection, key string) error {
	dls, err := store.DeadLetters(ctx, connection)
	if err != nil {
		return err
	}
	i := slices.IndexFunc(dls, func(d care.DeadLetter) bool { return d.Delivery.DedupeKey == key })
	if i < 0 {
		return fmt.Errorf("no dead letter %s on connection %s", key, connection)
	}
	if err := store.Requeue(ctx, dls[i].Delivery); err != nil {
		return err
	}
	if _, err := store.DeleteDeadLetter(ctx, dls[i]); err != nil {
		return err
	}
	_, err = fmt.Fprintf(out, "requeued %s/%s: the process function takes it within seconds; run dead-letters again to see whether it failed again\n", connection, key)
	return err
}

// devServer is the local dev server's dead-letter API.
type devServer struct{ url string }

func (d devServer) deadLetters(ctx context.Context, out io.Writer, connection string) error {
	var body struct{ DeadLetters []deadLetterLine }
	if err := d.call(ctx, http.MethodGet, "/dev/dead-letters", &body); err != nil {
		return err
	}
	lines := body.DeadLetters
	if connection != "" {
		lines = slices.DeleteFunc(lines, func(l deadLetterLine) bool { return l.Connection != connection })
	}
	return printLines(out, lines)
}

func (d devServer) replay(ctx context.Context, out io.Writer, connection, key string) error {
	var answer struct {
		Processed bool
		Reason    string
		Error     string
	}
	path := "/dev/dead-letters/replay?connection=" + url.QueryEscape(connection) + "&key=" + url.QueryEscape(key)
	if err := d.call(ctx, http.MethodPost, path, &answer); err != nil {
		return err
	}
	if !answer.Processed {
		return fmt.Errorf("replayed %s/%s, and it failed again: %s", connection, key, answer.Reason)
	}
	_, err := fmt.Fprintf(out, "replayed %s/%s: processed\n", connection, key)
	return err
}

func (d devServer) call(ctx context.Context, method, path string, v any) error {
	req, err := http.NewRequestWithContext(ctx, method, d.url+path, nil)
	if err != nil {
		return fmt.Errorf("build request: %w", err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("reach the dev server at %s (is `make run` going? on AWS give -table): %w", d.url, err)
	}
	defer resp.Body.Close()
	var failure struct{ Error string }
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return fmt.Errorf("read the dev server's answer: %w", err)
	}
	if resp.StatusCode != http.StatusOK {
		_ = json.Unmarshal(body, &failure)
		return fmt.Errorf("dev server: %s %s: %d %s", method, path, resp.StatusCode, failure.Error)
	}
	if err := json.Unmarshal(body, v); err != nil {
		return fmt.Errorf("dev server: %s %s: not JSON: %w", method, path, err)
	}
	return nil
}
