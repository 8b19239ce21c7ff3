describe pod web-7d4b9c8f6-x2k9q -f pod-status.yaml
