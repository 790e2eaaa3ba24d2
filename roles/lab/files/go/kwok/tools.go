//go:build tools

// Package tools records the upstream command this module builds, so that
// `go mod tidy` keeps its requirements pinned in go.sum.
package tools

import (
	_ "sigs.k8s.io/kwok/cmd/kwok"
)
