get pods --show-labels -o json -f kubectl.yaml
