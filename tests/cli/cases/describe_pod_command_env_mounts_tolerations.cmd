describe pod/gates -f pod-status.yaml
