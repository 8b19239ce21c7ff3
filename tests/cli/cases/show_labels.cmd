get pods --show-labels -f kubectl.yaml
