package ddbproxy

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"io"
	"strconv"
	"strings"
)

// withConsumedCapacity sets "ReturnConsumedCapacity":"TOTAL" in a JSON
// request body unless it already asks for capacity. Every other member is
// kept byte for byte. A body that is not a JSON object is left alone.
func withConsumedCapacity(body []byte) []byte {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(body, &m); err != nil || m == nil {
		return body
	}
	if v, ok := m["ReturnConsumedCapacity"]; ok && string(v) != `"NONE"` {
		return body
	}
	m["ReturnConsumedCapacity"] = json.RawMessage(`"TOTAL"`)
	out, err := json.Marshal(m)
	if err != nil {
		return body
	}
	return out
}

type capacity struct {
	CapacityUnits      float64 `json:"CapacityUnits"`
	ReadCapacityUnits  float64 `json:"ReadCapacityUnits"`
	WriteCapacityUnits float64 `json:"WriteCapacityUnits"`
}

// consumed sums the ConsumedCapacity of a response body: an object for
// single-item operations and Query/Scan, a list for batch and transaction
// operations.
func consumed(op, encoding string, body []byte) (read, write float64) {
	if strings.EqualFold(encoding, "gzip") {
		zr, err := gzip.NewReader(bytes.NewReader(body))
		if err != nil {
			return 0, 0
		}
		if body, err = io.ReadAll(io.LimitReader(zr, maxBody)); err != nil {
			return 0, 0
		}
	}
	var r struct {
		ConsumedCapacity json.RawMessage `json:"ConsumedCapacity"`
	}
	if err := json.Unmarshal(body, &r); err != nil || len(r.ConsumedCapacity) == 0 {
		return 0, 0
	}
	var list []capacity
	if r.ConsumedCapacity[0] == '[' {
		if err := json.Unmarshal(r.ConsumedCapacity, &list); err != nil {
			return 0, 0
		}
	} else {
		var one capacity
		if err := json.Unmarshal(r.ConsumedCapacity, &one); err != nil {
			return 0, 0
		}
		list = []capacity{one}
	}
	for _, c := range list {
		rd, wr := c.ReadCapacityUnits, c.WriteCapacityUnits
		if rd == 0 && wr == 0 {
			if writeOps[op] {
				wr = c.CapacityUnits
			} else {
				rd = c.CapacityUnits
			}
		}
		read += rd
		write += wr
	}
	return read, write
}

// outcomeOf names DynamoDB's answer: "OK" or the error code from __type
// ("com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException" →
// "ConditionalCheckFailedException").
func outcomeOf(status int, body []byte) string {
	if status/100 == 2 {
		return "OK"
	}
	var e struct {
		Type string `json:"__type"`
	}
	_ = json.Unmarshal(body, &e)
	code := e.Type
	if i := strings.LastIndexByte(code, '#'); i >= 0 {
		code = code[i+1:]
	}
	if code == "" {
		return "HTTP " + strconv.Itoa(status)
	}
	return code
}
