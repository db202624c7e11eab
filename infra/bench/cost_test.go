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
	r.target("Cost per 10,000 tickets a month, SES per-email fees aside", fmt.Sprintf("≤ $%.2f", costTarget), fmt.Sprintf("$%.3f", total), total <= costTarget)
	// Provisioned capacity for the same average rate, at 50% utilisation
	// (auto scaling's usual target), for a steady volume.
	wps, rps := (wu+failed)*scale/(hoursPerMonth*3600), ru*scale/(hoursPerMonth*3600)
	provisioned := (wps/0.5)*hoursPerMonth*priceWCUHour + (rps/0.5)*hoursPerMonth*priceRCUHour
	onDemand := lines[0].dollars + lines[1].dollars
	r.missed(fmt.Sprintf("Over by $%.3f (%.1f×). DynamoDB writes alone are $%.3f: each interaction writes about %.1f units, the raw delivery (1), its timeline item (about 1.2: a message with its text is often over 1 KB), "+
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
