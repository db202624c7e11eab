package ddbproxy

// OpStats counts one operation.
type OpStats struct {
	// Requests is how many requests the client sent (each SDK retry is one).
	Requests int
	// Forwarded is how many of them reached DynamoDB.
	Forwarded int
	// Outcomes counts DynamoDB's answers to the forwarded requests: "OK", an
	// error code such as "ConditionalCheckFailedException", or
	// "UpstreamError" when DynamoDB could not be reached.
	Outcomes map[string]int
	// Faults counts the faults injected into this operation's requests by
	// Fault.String(), e.g. "before:throttle" or "after:reset".
	Faults map[string]int
	// ReadUnits and WriteUnits are the consumed read and write capacity
	// (with Options.ConsumedCapacity). Where DynamoDB reports only
	// CapacityUnits, they count for WriteUnits on write operations and for
	// ReadUnits on the others.
	ReadUnits, WriteUnits float64
}

// Stats is a snapshot of the counters.
type Stats struct {
	// Ops is keyed by operation name, e.g. "PutItem".
	Ops map[string]OpStats
	// Faults counts every injected fault by Fault.String().
	Faults map[string]int
}

// Total adds up every operation.
func (s Stats) Total() OpStats {
	t := OpStats{Outcomes: map[string]int{}, Faults: map[string]int{}}
	for _, o := range s.Ops {
		t.Requests += o.Requests
		t.Forwarded += o.Forwarded
		t.ReadUnits += o.ReadUnits
		t.WriteUnits += o.WriteUnits
		for k, n := range o.Outcomes {
			t.Outcomes[k] += n
		}
		for k, n := range o.Faults {
			t.Faults[k] += n
		}
	}
	return t
}

// FaultCount is the number of injected faults of all kinds.
func (s Stats) FaultCount() int {
	n := 0
	for _, c := range s.Faults {
		n += c
	}
	return n
}

// Snapshot returns a copy of the counters.
func (p *Proxy) Snapshot() Stats {
	p.mu.Lock()
	defer p.mu.Unlock()
	s := Stats{Ops: make(map[string]OpStats, len(p.ops)), Faults: make(map[string]int, len(p.faultsBy))}
	for op, o := range p.ops {
		c := *o
		c.Outcomes = copyMap(o.Outcomes)
		c.Faults = copyMap(o.Faults)
		s.Ops[op] = c
	}
	for k, n := range p.faultsBy {
		s.Faults[k] = n
	}
	return s
}

// Reset zeroes the counters (queued faults stay queued).
func (p *Proxy) Reset() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.ops = map[string]*OpStats{}
	p.faultsBy = map[string]int{}
}

// maxBody bounds a request or response body; DynamoDB's own limit on a
// request is 16 MB.
const maxBody = 32 << 20
