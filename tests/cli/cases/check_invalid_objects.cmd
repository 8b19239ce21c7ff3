check -f check/invalid-objects.yaml
