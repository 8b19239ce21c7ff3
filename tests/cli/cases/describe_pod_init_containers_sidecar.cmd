describe pod with-sidecar -f pod-status.yaml
