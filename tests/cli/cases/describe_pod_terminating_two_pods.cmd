describe pods terminating init-signal -f pod-status.yaml
