//go:build bench

package bench_test

import "testing"

func measureProcessing(t *testing.T, r *report) {}
func measureDigests(t *testing.T, r *report)    {}
func estimateCost(t *testing.T, r *report)      {}
