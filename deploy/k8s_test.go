package deploy_test

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.yaml.in/yaml/v3"
)

// manifest is one Kubernetes object, read loosely.
type manifest struct {
	file string
	obj  map[string]any
}

func (m manifest) kind() string { return str(m.obj, "kind") }
func (m manifest) name() string { return str(m.obj, "metadata", "name") }

// get walks maps by key and lists by index ("0").
func get(v any, path ...string) any {
	for _, p := range path {
		switch x := v.(type) {
		case map[string]any:
			v = x[p]
		case []any:
			i, err := strconv.Atoi(p)
			if err != nil || i >= len(x) {
				return nil
			}
			v = x[i]
		default:
			return nil
		}
	}
	return v
}

func str(v any, path ...string) string { s, _ := get(v, path...).(string); return s }

func loadManifests(t *testing.T) map[string]manifest {
	t.Helper()
	files, err := filepath.Glob("k8s/*.yaml")
	require.NoError(t, err)
	byKind := map[string]manifest{}
	for _, f := range files {
		if filepath.Base(f) == "kustomization.yaml" {
			continue
		}
		raw, err := os.ReadFile(f)
		require.NoError(t, err)
		dec := yaml.NewDecoder(bytes.NewReader(raw))
		for {
			var obj map[string]any
			err := dec.Decode(&obj)
			if errors.Is(err, io.EOF) {
				break
			}
			require.NoError(t, err, f)
			m := manifest{file: f, obj: obj}
			require.NotEmpty(t, str(obj, "apiVersion"), f)
			require.NotEmpty(t, m.name(), f)
			if m.kind() != "Namespace" {
				assert.Equal(t, "skillrecord", str(obj, "metadata", "namespace"), "%s: namespace", f)
			}
			require.NotContains(t, byKind, m.kind(), "one %s", m.kind())
			byKind[m.kind()] = m
		}
	}
	return byKind
}

func duration(t *testing.T, s string) time.Duration {
	t.Helper()
	d, err := time.ParseDuration(s)
	require.NoError(t, err, s)
	return d
}

// defaultDrain is the service's SIGTERM drain period when the ConfigMap does not set one: the
// time /readyz answers 503 before the listener closes. (That every SKILLRECORD_* name in
// deploy/ is a real setting is checked by internal/config's tests.)
const defaultDrain = 5 * time.Second

func TestK8s_ManifestsHaveWhatTheServiceNeeds(t *testing.T) {
	m := loadManifests(t)
	for _, kind := range []string{"Namespace", "ConfigMap", "Secret", "Deployment", "Service",
		"HorizontalPodAutoscaler", "PodDisruptionBudget", "NetworkPolicy", "Job"} {
		require.Contains(t, m, kind)
	}

	// Every file is applied by the kustomization.
	raw, err := os.ReadFile("k8s/kustomization.yaml")
	require.NoError(t, err)
	var kust struct {
		Resources []string `yaml:"resources"`
	}
	require.NoError(t, yaml.Unmarshal(raw, &kust))
	for _, x := range m {
		assert.Contains(t, kust.Resources, filepath.Base(x.file))
	}

	cm := get(m["ConfigMap"].obj, "data").(map[string]any)
	secret := get(m["Secret"].obj, "stringData").(map[string]any)
	for _, key := range []string{"SKILLRECORD_DATA_KEY", "SKILLRECORD_INDEX_KEY", "SKILLRECORD_SIGNING_KEY", "SKILLRECORD_MYSQL_DSN"} {
		assert.Contains(t, secret, key, "the Secret holds %s", key)
		assert.NotContains(t, cm, key, "%s is secret: not in the ConfigMap", key)
	}

	dep := m["Deployment"].obj
	pod := get(dep, "spec", "template", "spec")
	c := get(pod, "containers", "0")
	assert.Equal(t, "/readyz", str(c, "readinessProbe", "httpGet", "path"))
	assert.Equal(t, "/healthz", str(c, "livenessProbe", "httpGet", "path"))
	assert.Equal(t, []any{"serve"}, get(c, "args"))

	// The port the probes and the Service use is the one the service listens on.
	_, port, _ := strings.Cut(cm["SKILLRECORD_HTTP_ADDR"].(string), ":")
	assert.Equal(t, port, strconv.Itoa(get(c, "ports", "0", "containerPort").(int)))
	assert.Equal(t, "0.0.0.0", strings.Split(cm["SKILLRECORD_HTTP_ADDR"].(string), ":")[0], "listen beyond loopback in a pod")

	// Termination: the grace period covers the preStop pause, the drain and the in-flight work.
	pre := get(c, "lifecycle", "preStop", "exec", "command").([]any)
	require.Equal(t, "sleep", pre[0])
	preStop := duration(t, pre[1].(string)+"s")
	drain := defaultDrain
	for k, v := range cm {
		if strings.HasSuffix(k, "_DRAIN_PERIOD") {
			drain = duration(t, v.(string))
		}
	}
	shutdown := duration(t, cm["SKILLRECORD_HTTP_SHUTDOWN_TIMEOUT"].(string))
	grace := time.Duration(get(pod, "terminationGracePeriodSeconds").(int)) * time.Second
	assert.GreaterOrEqual(t, grace, preStop+drain+shutdown, "terminationGracePeriodSeconds")

	// Resources: requests set, memory limited to the benchmarks' 256 MiB target, and the Go
	// heap kept under it.
	assert.NotEmpty(t, str(c, "resources", "requests", "cpu"))
	assert.NotEmpty(t, str(c, "resources", "requests", "memory"))
	assert.Equal(t, "256Mi", str(c, "resources", "limits", "memory"))
	assert.Regexp(t, `^[0-9]+MiB$`, cm["GOMEMLIMIT"])
	assert.Equal(t, true, get(c, "securityContext", "readOnlyRootFilesystem"))
	assert.Equal(t, true, get(pod, "securityContext", "runAsNonRoot"))

	// Config and secret reach the pod and the migration job.
	job := m["Job"].obj
	jc := get(job, "spec", "template", "spec", "containers", "0")
	assert.Equal(t, []any{"migrate", "up"}, get(jc, "args"))
	assert.Equal(t, str(c, "image"), str(jc, "image"), "the Job migrates with the Deployment's image")
	for _, ctr := range []any{c, jc} {
		assert.Equal(t, m["ConfigMap"].name(), str(ctr, "envFrom", "0", "configMapRef", "name"))
		assert.Equal(t, m["Secret"].name(), str(ctr, "envFrom", "1", "secretRef", "name"))
	}

	// Selectors: the Service, the PDB and the HPA find the Deployment's pods.
	podLabels := get(dep, "spec", "template", "metadata", "labels").(map[string]any)
	matches := func(sel map[string]any) bool {
		for k, v := range sel {
			if podLabels[k] != v {
				return false
			}
		}
		return len(sel) > 0
	}
	assert.True(t, matches(get(m["Service"].obj, "spec", "selector").(map[string]any)), "Service selector")
	assert.True(t, matches(get(m["PodDisruptionBudget"].obj, "spec", "selector", "matchLabels").(map[string]any)), "PDB selector")
	assert.True(t, matches(get(m["NetworkPolicy"].obj, "spec", "podSelector", "matchLabels").(map[string]any)), "NetworkPolicy selector")
	assert.Equal(t, "http", str(m["Service"].obj, "spec", "ports", "0", "targetPort"))
	assert.Equal(t, m["Deployment"].name(), str(m["HorizontalPodAutoscaler"].obj, "spec", "scaleTargetRef", "name"))
	assert.Equal(t, "Deployment", str(m["HorizontalPodAutoscaler"].obj, "spec", "scaleTargetRef", "kind"))
	assert.GreaterOrEqual(t, get(m["HorizontalPodAutoscaler"].obj, "spec", "minReplicas").(int), 2, "a PDB needs two pods to allow a drain")
	assert.ElementsMatch(t, []any{"Ingress", "Egress"}, get(m["NetworkPolicy"].obj, "spec", "policyTypes"))
}
