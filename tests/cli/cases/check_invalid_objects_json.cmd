check -o json -n shop -f check/invalid-objects.yaml
