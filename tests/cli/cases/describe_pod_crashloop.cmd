describe pod crashloop -f pod-status.yaml
