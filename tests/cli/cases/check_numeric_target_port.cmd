check -f check/numeric-target-port.yaml
