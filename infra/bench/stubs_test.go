//go:build bench

package bench_test

import "testing"

func estimateCost(t *testing.T, r *report) {}
