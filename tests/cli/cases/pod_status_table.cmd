get pods -f pod-status.yaml
