get pods gates with-sidecar gated web-7d4b9c8f6-x2k9q -f pod-status.yaml -o wide
