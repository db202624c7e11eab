// Command admin manages a deployed carecoach's configuration with your AWS
// credentials (the usual AWS_PROFILE / AWS_REGION):
//
//	go run ./infra/admin put-team -table <TableName> -schedule-group <ScheduleGroupName> \
//	    -fire-arn <FireFunctionArn> -scheduler-role <SchedulerRoleArn> \
//	    -scheduler-dlq <SchedulerDeadLetterQueueArn> team.yaml
//	go run ./infra/admin dead-letters -table <TableName> <connection-id>
//
// put-team validates the file (errors name the field and the reason), writes
// the team, its connections and its member lookups to the table and, given
// the scheduler flags (stack outputs), creates or replaces the team's weekly
// digest and climate schedules in its time zone, with the same retry policy
// and dead-letter queue as every task's schedule.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/scheduler"

	"github.com/carecoach/carecoach/shared/app"
	"github.com/carecoach/carecoach/shared/awslambda"
	"github.com/carecoach/carecoach/shared/dynamo"
	"github.com/carecoach/carecoach/shared/eventbridge"
	"github.com/carecoach/carecoach/shared/playbook"
	"github.com/carecoach/carecoach/shared/teamconfig"
)

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "admin:", err)
		os.Exit(1)
	}
}

func run(args []string) error {
	if len(args) == 0 {
		return fmt.Errorf("usage: admin put-team|dead-letters -table NAME ARG")
	}
	fs := flag.NewFlagSet(args[0], flag.ContinueOnError)
	table := fs.String("table", os.Getenv("CARECOACH_TABLE"), "the deployed table (stack output TableName)")
	endpoint := fs.String("endpoint", "", "DynamoDB endpoint override (e.g. a DynamoDB Local URL)")
	group := fs.String("schedule-group", "", "put-team: the stack's ScheduleGroupName output")
	fireARN := fs.String("fire-arn", "", "put-team: the stack's FireFunctionArn output")
	role := fs.String("scheduler-role", "", "put-team: the stack's SchedulerRoleArn output")
	dlq := fs.String("scheduler-dlq", "", "put-team: the stack's SchedulerDeadLetterQueueArn output")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	if *table == "" || fs.NArg() != 1 {
		return fmt.Errorf("usage: admin %s -table NAME ARG", args[0])
	}
	// All the scheduler flags or none, checked before anything is written:
	// a schedule without its dead-letter queue would drop what Scheduler
	// cannot deliver.
	schedFlags := map[string]string{"-schedule-group": *group, "-fire-arn": *fireARN, "-scheduler-role": *role, "-scheduler-dlq": *dlq}
	var missing []string
	for _, name := range []string{"-schedule-group", "-fire-arn", "-scheduler-role", "-scheduler-dlq"} {
		if schedFlags[name] == "" {
			missing = append(missing, name)
		}
	}
	schedules := len(missing) == 0
	if args[0] == "put-team" && !schedules && len(missing) < len(schedFlags) {
		return fmt.Errorf("put-team: give all the scheduler flags (stack outputs) or none; missing %s", strings.Join(missing, ", "))
	}
	ctx := context.Background()
	cfg, err := config.LoadDefaultConfig(ctx)
	if err != nil {
		return fmt.Errorf("aws config: %w", err)
	}
	store := dynamo.New(dynamo.NewClient(cfg, *endpoint), *table, time.Now)
	switch args[0] {
	case "put-team":
		team, err := teamconfig.Load(fs.Arg(0))
		if err != nil {
			return err
		}
		if err := store.PutTeam(ctx, team); err != nil {
			return err
		}
		fmt.Printf("team %s stored: %d connections, %d members\n", team.ID, len(team.Connections), len(team.Members))
		if !schedules {
			fmt.Println("no digest or climate schedule made: give -schedule-group, -fire-arn, -scheduler-role and -scheduler-dlq to make them")
			return nil
		}
		pb := playbook.ForTeam(team)
		sched := &eventbridge.Scheduler{API: scheduler.NewFromConfig(cfg), Group: *group, TargetARN: *fireARN, RoleARN: *role, DeadLetterARN: *dlq, Now: time.Now}
		job := awslambda.FireEvent{Job: app.JobDigest, Team: team.ID}
		if err := sched.PutRecurring(ctx, "digest-"+team.ID, pb.DigestCron(), pb.Location.String(), job); err != nil {
			return err
		}
		fmt.Printf("digest schedule digest-%s: %s in %s\n", team.ID, pb.DigestCron(), pb.Location)
		if climate := playbook.ClimateOf(team); climate.On {
			pulse := awslambda.FireEvent{Job: app.JobPulse, Team: team.ID}
			if err := sched.PutRecurring(ctx, "pulse-"+team.ID, pb.PulseCron(climate), pb.Location.String(), pulse); err != nil {
				return err
			}
			fmt.Printf("climate schedule pulse-%s: %s in %s\n", team.ID, pb.PulseCron(climate), pb.Location)
		}
		return nil
	case "dead-letters":
		dls, err := store.DeadLetters(ctx, fs.Arg(0))
		if err != nil {
			return err
		}
		enc := json.NewEncoder(os.Stdout)
		enc.SetIndent("", "  ")
		for _, d := range dls {
			if err := enc.Encode(map[string]any{"at": d.At, "reason": d.Reason, "dedupeKey": d.Delivery.DedupeKey, "body": string(d.Delivery.Body)}); err != nil {
				return err
			}
		}
		return nil
	default:
		return fmt.Errorf("unknown command %q: use put-team or dead-letters", args[0])
	}
}
