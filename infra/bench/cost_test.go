//go:build bench

package bench_test

import (
	"fmt"
	"strings"
	"testing"
)

// List prices, us-east-1, as AWS's pricing pages gave them (the Lambda
// figures are the team kit's; none could be re-checked from this machine,
// which reaches no AWS site). Free tiers are left out, so small accounts pay
// less.
const (
	priceWriteUnit      = 0.625 / 1e6  // DynamoDB on-demand, per write request unit
	priceReadUnit       = 0.125 / 1e6  // DynamoDB on-demand, per read request unit
	priceStorageGBMonth = 0.25         // DynamoDB standard table class
	priceLambdaRequest  = 0.20 / 1e6   // per invocation
	priceLambdaGBSecond = 0.0000133334 // arm64
	priceHTTPAPIRequest = 1.00 / 1e6   // API Gateway HTTP API, first 300 M a month
	priceSchedulerInvoc = 1.00 / 1e6   // EventBridge Scheduler invocations
	priceLogsGB         = 0.50         // CloudWatch Logs ingestion, standard class
	priceWCUHour        = 0.00065      // DynamoDB provisioned write capacity unit-hour
	priceRCUHour        = 0.00013      // DynamoDB provisioned read capacity unit-hour
	hoursPerMonth       = 730.0
	lambdaMemoryGB      = 256.0 / 1024 // template.yaml's MemorySize
	ticketsPerMonth     = 10000.0
	costTarget          = 0.25
)

// estimateCost turns the synthetic week's measured counts into dollars per
// 10,000 tickets a month.
func estimateCost(t *testing.T, r *report) {
	if r.tickets == 0 || r.phases == nil {
		t.Log("no processing measurements: the cost section needs the process section")
		return
	}
	scale := ticketsPerMonth / float64(r.tickets)
	in, pr, fi := r.phases["ingest"], r.phases["process"], r.phases["fire"]
	var wu, ru, failed, invocations, gbs, logBytes float64
	for _, p := range []phaseCost{in, pr, fi} {
		wu += p.writeUnits
		failed += p.failedWrites
		ru += p.readUnits
		invocations += p.invocations
		gbs += p.invocations * p.handler.Seconds() * lambdaMemoryGB
		logBytes += p.logBytes
	}
	type line struct {
		what, basis string
		dollars     float64
	}
	lines := []line{
		{"DynamoDB writes", fmt.Sprintf("%.0f write units (%.0f reported + %.0f failed conditions) per 10k tickets", (wu+failed)*scale, wu*scale, failed*scale), (wu + failed) * scale * priceWriteUnit},
		{"DynamoDB reads", fmt.Sprintf("%.0f read units", ru*scale), ru * scale * priceReadUnit},
		{"Lambda requests", fmt.Sprintf("%.0f invocations (ingest per delivery, process per delivery at worst, fire per task)", invocations*scale), invocations * scale * priceLambdaRequest},
		{"Lambda duration", fmt.Sprintf("%.0f GB-s at 256 MB, from the local handler times (pessimistic: DynamoDB Local is slower than DynamoDB)", gbs*scale), gbs * scale * priceLambdaGBSecond},
		{"HTTP API", fmt.Sprintf("%.0f webhook requests", in.invocations*scale), in.invocations * scale * priceHTTPAPIRequest},
		{"EventBridge Scheduler", fmt.Sprintf("%.0f invocations (tasks that fired; creating and deleting schedules is free)", fi.invocations*scale), fi.invocations * scale * priceSchedulerInvoc},
		{"CloudWatch Logs", fmt.Sprintf("%.1f MB: the services' JSON logs and EMF lines, measured; the platform's START and REPORT lines are off (SystemLogLevel WARN)", logBytes*scale/1e6), logBytes * scale / 1e9 * priceLogsGB},
	}
	if r.tableBytes > 0 {
		gb := float64(r.tableBytes) * scale / 1e9
		lines = append(lines, line{"DynamoDB storage", fmt.Sprintf("%.1f MB a month's tickets occupy (DescribeTable after the week, scaled), for one month", gb*1e3), gb * priceStorageGBMonth})
	}
	var rows strings.Builder
	total := 0.0
	for _, l := range lines {
		total += l.dollars
		fmt.Fprintf(&rows, "| %s | %s | $%.4f |\n", l.what, l.basis, l.dollars)
	}
	r.costPer10k = total
	r.target("Cost per 10,000 tickets a month, SES per-email fees aside", fmt.Sprintf("≤ $%.2f", costTarget), fmt.Sprintf("$%.3f", total), total <= costTarget)
	// Provisioned capacity for the same average rate, at 50% utilisation
	// (auto scaling's usual target), for a steady volume.
	wps, rps := (wu+failed)*scale/(hoursPerMonth*3600), ru*scale/(hoursPerMonth*3600)
	provisioned := (wps/0.5)*hoursPerMonth*priceWCUHour + (rps/0.5)*hoursPerMonth*priceRCUHour
	onDemand := lines[0].dollars + lines[1].dollars
	r.missed(fmt.Sprintf("Over by $%.3f (%.1f×). DynamoDB writes alone are $%.3f: each interaction writes about %.1f units, the raw delivery (1), its timeline item (1: agents' replies and notes are no longer copied to gsi1), "+
		"and facts and moments, which cost two each because the team's gsi1 index copies them; tasks and their transitions add the rest. "+
		"Cheaper options, not taken: provisioned capacity with auto scaling at 50%% utilisation would make DynamoDB $%.3f instead of $%.3f for a steady volume (no good for bursts, which is why the template is on demand); "+
		"a Lambda function URL instead of the HTTP API for webhooks would save $%.3f (the signature is checked in code either way, but the HTTP API gives per-route throttling); "+
		"keeping the raw delivery as the timeline item would save about one write unit per interaction.",
		total-costTarget, total/costTarget, lines[0].dollars, (wu+failed)/float64(r.interactions), provisioned, onDemand, in.invocations*scale*priceHTTPAPIRequest))
	r.section(`## Cost per 10,000 tickets a month

From the synthetic week's measured counts (%d tickets, %.1f deliveries and %.1f fired tasks per ticket), scaled to 10,000 tickets, at AWS list prices for us-east-1 as last published to us (not re-checked from this machine; on-demand DynamoDB at $0.625 per million write units and $0.125 per million read units, Lambda arm64 at $0.0000133334 per GB-s and $0.20 per million requests, HTTP API at $1.00 per million, Scheduler at $1.00 per million invocations, CloudWatch Logs at $0.50 per GB), free tiers left out. SES's own fees (about $0.10 per thousand emails; the week sent %.1f emails per ticket) are left aside, as are fixed monthly costs that do not grow with tickets (alarms, the weekly digest and climate jobs, EMF custom metrics, KMS).

| item | basis | dollars |
|---|---|---|
%s| **total** | | **$%.3f** |`,
		r.tickets, float64(r.deliveries)/float64(r.tickets), fi.invocations/float64(r.tickets), float64(r.emails)/float64(r.tickets), rows.String(), total)
}

// The scale model's assumptions, stated in the report.
const (
	ticketsPerAgentMonth = 20.0  // the 1 M tickets a month for 100 organisations of 500
	busyFactor           = 10.0  // a busy contact centre: 200 tickets per agent a month
	businessDays         = 22.0  // a month's working days
	peakHourShare        = 0.20  // of a day's tickets in its busiest hour
	partitionWCU         = 1000. // per partition per second, base table and each GSI apart
	scheduleTPS          = 1000. // EventBridge Scheduler CreateSchedule, the safe floor
)

// scaleModel derives cost and partition load for three sizes from the
// synthetic week's measured counts.
func scaleModel(t *testing.T, r *report) {
	if r.tickets == 0 || r.phases == nil || r.costPer10k == 0 {
		t.Log("no processing measurements: the scale model needs the process and cost sections")
		return
	}
	var wu float64
	for _, p := range r.phases {
		wu += p.writeUnits + p.failedWrites
	}
	tickets := float64(r.tickets)
	writesPerTicket := wu / tickets
	pr := r.phases["process"]
	processPerInteraction := (pr.writeUnits + pr.failedWrites) / float64(r.interactions)
	schedulesPerTicket := float64(r.schedules) / tickets
	// The week's tickets all belong to one team, so its hottest gsi1
	// partition (a team's week of moments and facts) holds this share of
	// the entries per ticket; an entry is written at most twice (created,
	// then possibly withdrawn) and is counted at 2 write units (a moment
	// with the customer's words is often over 1 KB).
	hotEntriesPerTicket := float64(r.partitions.hottestIndex) / tickets
	hotWUPerTicket := hotEntriesPerTicket * 2 * 2
	peakPerSecond := func(ticketsMonth float64) float64 { return ticketsMonth / businessDays * peakHourShare / 3600 }

	type size struct {
		name         string
		agents, orgs float64
		teamAgents   float64 // the largest single team: its weekly partition is the hot one
	}
	var rows strings.Builder
	for _, sz := range []size{{"a 10-agent team", 10, 1, 10}, {"a 500-agent organisation (one team, the worst case)", 500, 1, 500}, {"100 organisations of 500 agents", 500, 100, 500}} {
		month := sz.agents * sz.orgs * ticketsPerAgentMonth
		peak := peakPerSecond(month)
		teamPeak := peakPerSecond(sz.teamAgents * ticketsPerAgentMonth)
		fmt.Fprintf(&rows, "| %s | %.0f | $%.2f | %.2f | %.3f (%.3f busy) | %.0f× | %.2f |\n",
			sz.name, month, r.costPer10k*month/ticketsPerMonth, writesPerTicket*peak,
			hotWUPerTicket*teamPeak, hotWUPerTicket*teamPeak*busyFactor, partitionWCU/(hotWUPerTicket*teamPeak*busyFactor),
			schedulesPerTicket*peak)
	}
	agentsAtLimit := partitionWCU / (hotWUPerTicket * peakPerSecond(ticketsPerAgentMonth*busyFactor))
	ticketBurst := partitionWCU / processPerInteraction
	r.section(`## Scale model

Derived from the synthetic week's measured counts (%d tickets): %.1f write units per ticket across ingest, process and fire (failed conditional writes included), %.2f process write units per interaction, %.2f schedules created per ticket, and %d gsi1 entries in the hottest of a team's weekly gsi1 partitions (%s), %.2f per ticket (of %d gsi1 entries in all). The cost is the section above's $%.3f per 10,000 tickets, SES fees aside.

Assumptions: %.0f tickets per agent a month (the 1 M tickets a month of 100 organisations of 500 agents) and, for partition load, a busy centre at %.0f× that; %.0f working days a month; the busiest hour carries %.0f%% of a day's tickets; each gsi1 entry costs 2 write units and is written at most twice (made, then possibly withdrawn by late evidence). DynamoDB serves at most %.0f write units a second per partition, for the base table and for each index apart, and an index partition that cannot keep up throttles the table's writes; EventBridge Scheduler's CreateSchedule is %.0f a second at the safe floor.

| size | tickets a month | cost a month | table write units/s at peak | hottest gsi1 partition write units/s at peak (busy) | headroom of that partition (busy) | schedules created/s at peak |
|---|---|---|---|---|---|---|
%s
What it means:
- **The hot partition is a team's weekly index partition**, not a ticket: every moment and fact of a team's week lands on one gsi1 key. At the busy rate it would reach %.0f write units a second only with a single team of about %.0f agents. carecoach's teams are the people one manager coaches (tens, not thousands), so one partition per team and week stays; were a team ever that big, the key would take a shard suffix (the ticket id's hash modulo N, written on every entry) and the digest and dashboard would read the N partitions of a week in parallel, as DynamoDB's GSI write-sharding pattern does. The table's own keys (a raw delivery per webhook, a partition per ticket) spread by construction.
- **A single ticket** takes %.2f write units per interaction in process, so one ticket partition would saturate only at about %.0f interactions a second: help desks send a ticket's events one at a time, and a stream shard processes them in order.
- **The whole installation** at 1 M tickets a month writes about %.0f units a second at peak (%.0f at the busy rate), inside on-demand's initial allowance for a new table (4,000 write units a second; on-demand then follows the traffic up); its cost grows linearly with tickets, as the table shows, because nothing is per-organisation except the weekly digest and climate jobs.
- **Scheduler** is the first shared limit a large installation meets: schedules are created at the rate tickets change; at 1 M tickets a month it is about %.0f a second (%.0f busy) against the floor of %.0f, and the process function retries a throttled CreateSchedule (the stream re-feeds the batch).`,
		r.tickets, writesPerTicket, processPerInteraction, schedulesPerTicket, r.partitions.hottestIndex, r.partitions.hottestIndexKey, hotEntriesPerTicket, r.partitions.indexItems, r.costPer10k,
		ticketsPerAgentMonth, busyFactor, businessDays, peakHourShare*100, partitionWCU, scheduleTPS,
		rows.String(), partitionWCU, agentsAtLimit, processPerInteraction, ticketBurst, writesPerTicket*peakPerSecond(1e6), writesPerTicket*peakPerSecond(1e6)*busyFactor, schedulesPerTicket*peakPerSecond(1e6), schedulesPerTicket*peakPerSecond(1e6)*busyFactor, scheduleTPS)
}
