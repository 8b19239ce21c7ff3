get services -f check/invalid-objects.yaml
