# Manifests without status: kubectl's zero counts.
get all -A -f workloads/deployment-app.yaml -f workloads/statefulset-headless.yaml -f workloads/generate-name.yaml -f workloads/drift.yaml -f workloads/captured-no-pods.yaml
