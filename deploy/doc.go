// Package deploy holds no code: it is the home of the deployment files (Dockerfile, compose,
// systemd, Kubernetes manifests, Grafana dashboard, Prometheus alert rules) and of the tests
// that keep them true to the service — every metric an alert or a panel names is exported,
// every Kubernetes manifest has the probes, limits and settings the service needs.
package deploy
