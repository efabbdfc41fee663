package httpapi

import (
	"net/http"
	"strconv"
	"strings"
	"sync"

	"go.yaml.in/yaml/v3"

	"skillrecord/api"
)

// committedStatus is the status recorded in the audit event that a route's write commits in
// its transaction (before the answer is written, so the answer's own status is not known
// yet): the success status api/openapi.yaml gives the operation, 201 when it declares one
// (the others, 200, are the replays that write nothing), else its lowest 2xx; 200 for a route
// the contract does not know.
func committedStatus(method, route string) int {
	committedStatuses.once.Do(loadCommittedStatuses)
	if s, ok := committedStatuses.byRoute[method+" "+route]; ok {
		return s
	}
	return http.StatusOK
}

var committedStatuses struct {
	once    sync.Once
	byRoute map[string]int // "POST /api/v1/trainings" (gin's template) → status
}

func loadCommittedStatuses() {
	committedStatuses.byRoute = map[string]int{}
	var doc struct {
		Paths map[string]map[string]yaml.Node `yaml:"paths"`
	}
	if err := yaml.Unmarshal(api.OpenAPI, &doc); err != nil {
		return // the contract is built in and checked by tests: 200 for every route then
	}
	for path, ops := range doc.Paths {
		route := ginTemplate(path)
		for method, node := range ops {
			var op struct {
				Responses map[string]yaml.Node `yaml:"responses"`
			}
			if node.Kind != yaml.MappingNode || node.Decode(&op) != nil {
				continue // path-level parameters, summary, …
			}
			best := 0
			for code := range op.Responses {
				n, err := strconv.Atoi(code)
				switch {
				case err != nil || n < 200 || n > 299:
				case n == http.StatusCreated:
					best = n
				case best != http.StatusCreated && (best == 0 || n < best):
					best = n
				}
			}
			if best != 0 {
				committedStatuses.byRoute[strings.ToUpper(method)+" "+route] = best
			}
		}
	}
}

// ginTemplate turns an OpenAPI path ("/a/{id}") into gin's template ("/a/:id").
func ginTemplate(path string) string {
	parts := strings.Split(path, "/")
	for i, p := range parts {
		if strings.HasPrefix(p, "{") && strings.HasSuffix(p, "}") {
			parts[i] = ":" + p[1:len(p)-1]
		}
	}
	return strings.Join(parts, "/")
}
